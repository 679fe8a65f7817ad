// Our React components for AdminJS, bundled by AdminJS at start (dev) or build (production).
// (bundle-dir first: adminjs reads its bundle folder when it loads, and the screen specs reach this file early.)
import './bundle-dir';
import { ComponentLoader } from 'adminjs';
import { fileURLToPath } from 'node:url';

const file = (name: string) => fileURLToPath(new URL(`./components/${name}.tsx`, import.meta.url));

export const componentLoader = new ComponentLoader();
componentLoader.override('Login', file('Login'));
// Rendered on every page of the back office; the panel floats above the page.
componentLoader.override('SidebarFooter', file('AgentPanel'));
componentLoader.override('SidebarPages', file('SidebarPages'));
// Record pages headed by the record's title, lists by the resource's name, the browser tab after both.
componentLoader.override('ActionHeader', file('PageTitle'));
// The list's total tag says "10,000+" past the exact count.
componentLoader.override('DefaultListAction', file('ListAction'));
// The top bar carries the search across every resource (Ctrl+K or /).
componentLoader.override('TopBar', file('GlobalSearch'));
// A filter on a linked record asks for its choices when opened, not as every list loads.
componentLoader.override('DefaultReferenceFilterProperty', file('ReferenceFilter'));

export const Components = {
  RecordHistory: componentLoader.add('RecordHistory', file('RecordHistory')),
  RelatedRecords: componentLoader.add('RelatedRecords', file('RelatedRecords')),
  RolesMatrix: componentLoader.add('RolesMatrix', file('RolesMatrix')),
  Money: componentLoader.add('Money', file('Money')),
  JsonEdit: componentLoader.add('JsonEdit', file('JsonEdit')),
  JsonShow: componentLoader.add('JsonShow', file('JsonShow')),
  Dashboard: componentLoader.add('Dashboard', file('Dashboard')),
  DealBoard: componentLoader.add('DealBoard', file('DealBoard')),
  ConvertLead: componentLoader.add('ConvertLead', file('ConvertLead')),
  AssignLead: componentLoader.add('AssignLead', file('AssignLead')),
  CompleteActivity: componentLoader.add('CompleteActivity', file('CompleteActivity')),
  EffectivePrice: componentLoader.add('EffectivePrice', file('EffectivePrice')),
  DuplicateEmail: componentLoader.add('DuplicateEmail', file('DuplicateEmail')),
  CsvImport: componentLoader.add('CsvImport', file('CsvImport')),
  CsvExport: componentLoader.add('CsvExport', file('CsvExport')),
  Analytics: componentLoader.add('Analytics', file('Analytics')),
  AssistantEmbed: componentLoader.add('AssistantEmbed', file('AssistantEmbed')),
  AuditLink: componentLoader.add('AuditLink', file('AuditLink')),
  AuditLinkList: componentLoader.add('AuditLinkList', file('AuditLinkList')),
  AuditChanges: componentLoader.add('AuditChanges', file('AuditChanges')),
  AuditNothing: componentLoader.add('AuditNothing', file('AuditNothing')),
};
