// AdminJS's own list, with its total worded honestly in the header tag ("10,000+" rather than a figure that
// is not the count), and its query remembered for the Export CSV action; everything else is AdminJS's.
import { OriginalList, type ActionProps } from 'adminjs';
import React, { useEffect } from 'react';
import { useLocation } from 'react-router';
import { countText } from './count-text';
import { rememberListQuery } from './list-query';

const ListAction: React.FC<ActionProps> = (props) => {
  const { setTag, resource } = props;
  const location = useLocation();
  useEffect(() => rememberListQuery(resource.id, location.search), [resource.id, location.search]);
  return <OriginalList {...props} setTag={setTag ? (tag) => setTag(typeof tag === 'string' && /^\d+$/.test(tag) ? countText(Number(tag)) : tag) : undefined} />;
};

export default ListAction;
