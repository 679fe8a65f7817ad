// AdminJS's own list, with its total worded honestly in the header tag ("10,000+" rather than a figure that
// is not the count); everything else is AdminJS's.
import { OriginalList, type ActionProps } from 'adminjs';
import React from 'react';
import { countText } from './count-text';

const ListAction: React.FC<ActionProps> = (props) => {
  const { setTag } = props;
  return <OriginalList {...props} setTag={setTag ? (tag: string) => setTag(/^\d+$/.test(tag) ? countText(Number(tag)) : tag) : undefined} />;
};

export default ListAction;
