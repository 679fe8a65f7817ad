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

const headingOf = ({ action, record }: Props, resourceName: string): string | null => {
  if (action.name === 'list') return resourceName;
  if (action.name === 'show' && record?.title) return record.title;
  if (action.name === 'edit' && record?.title) return `Edit ${record.title}`;
  if (action.name === 'new') return `New · ${resourceName}`;
  return null; // (other actions keep their own translated label)
};

const PageTitle: React.FC<Props> = (props) => {
  const { OriginalComponent, action, resource, record } = props;
  const { i18n, translateLabel } = useTranslation() as unknown as {
    translateLabel: (label: string, resourceId?: string) => string;
    i18n: { language: string; addResource: (lng: string, ns: string, key: string, value: string) => void };
  };
  // "Companies", "Sales Stages": as the sidebar names them (admin/backoffice/labels.ts).
  const resourceName = translateLabel(resource.id, resource.id).replace(/(^|_)(\w)/g, (_m, sep: string, c: string) => (sep ? ' ' : '') + c.toUpperCase());
  const heading = headingOf(props, resourceName);
  // AdminJS translates the label it shows (a label without a translation is "Start Cased", which would
  // mangle "Ann Smith (ann@x.example)"): the heading is this page's translation of its own key.
  const key = `__heading_${action.name}`;
  if (heading !== null) i18n.addResource(i18n.language, 'translation', `resources.${resource.id}.actions.${key}`, heading);
  useEffect(() => {
    const parts = record?.title && action.name !== 'list' ? [record.title, resourceName] : [resourceName];
    document.title = [...parts, 'EpesiCRM'].join(' · ');
  }, [record?.title, resourceName, action.name]);
  return <OriginalComponent {...props} action={heading === null ? action : { ...action, label: key }} />;
};

export default PageTitle;
