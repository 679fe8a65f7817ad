// The header of every resource and record page, named after what it shows: a record page by the record's
// title ("Ann Smith", not "Show"), a list by its resource ("Deals", not "List"); and the browser tab reads
// "Title · Resource · EpesiCRM". AdminJS's own header renders the rest (buttons, breadcrumbs).
import { useTranslation } from 'adminjs';
import React, { useEffect } from 'react';

type Props = {
  OriginalComponent: React.ComponentType<any>;
  action: { name: string; label: string };
  resource: { id: string; name: string };
  record?: { title?: string };
  [key: string]: unknown;
};

const headingOf = ({ action, resource, record }: Props): string | null => {
  if (action.name === 'list') return resource.name;
  if (action.name === 'show' && record?.title) return record.title;
  if (action.name === 'edit' && record?.title) return `Edit ${record.title}`;
  if (action.name === 'new') return `New · ${resource.name}`;
  return null; // (other actions keep their own translated label)
};

const PageTitle: React.FC<Props> = (props) => {
  const { OriginalComponent, action, resource, record } = props;
  const heading = headingOf(props);
  const { i18n } = useTranslation() as unknown as { i18n: { language: string; addResource: (lng: string, ns: string, key: string, value: string) => void } };
  // AdminJS translates the label it shows (a label without a translation is "Start Cased", which would
  // mangle "Ann Smith (ann@x.example)"): the heading is this page's translation of its own key.
  const key = `__heading_${action.name}`;
  if (heading !== null) i18n.addResource(i18n.language, 'translation', `resources.${resource.id}.actions.${key}`, heading);
  useEffect(() => {
    const parts = record?.title && action.name !== 'list' ? [record.title, resource.name] : [resource.name];
    document.title = [...parts, 'EpesiCRM'].join(' · ');
  }, [record?.title, resource.name, action.name]);
  return <OriginalComponent {...props} action={heading === null ? action : { ...action, label: key }} />;
};

export default PageTitle;
