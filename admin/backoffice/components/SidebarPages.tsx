// The sidebar's pages, each shown only to the roles it serves (AdminJS pages have no access rule of their
// own; the APIs behind them refuse others anyway): Analytics needs view_analytics or view_reports, the deal
// board a deals permission, the roles matrix view_users.
import React, { useEffect, useState } from 'react';

const NEEDS: Record<string, string[]> = {
  Analytics: ['view_analytics', 'view_reports'],
  'Deal board': ['manage_deals', 'view_own_data', 'view_team_data', 'view_all_data'],
  'Roles and permissions': ['view_users', 'manage_users'],
};

interface Props {
  pages?: { name: string }[];
  OriginalComponent?: React.ComponentType<{ pages?: { name: string }[] }>;
}

const SidebarPages: React.FC<Props> = ({ pages = [], OriginalComponent }) => {
  const [permissions, setPermissions] = useState<string[] | null>(null);
  useEffect(() => {
    fetch('/auth/me', { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : { role: { permissions: [] } }))
      .then((me: { role: { permissions: string[] } }) => setPermissions(me.role.permissions))
      .catch(() => setPermissions([]));
  }, []);
  if (!permissions || !OriginalComponent) return null;
  const shown = pages.filter((p) => (NEEDS[p.name] ?? []).length === 0 || NEEDS[p.name]!.some((x) => permissions.includes(x)));
  return <OriginalComponent pages={shown} />;
};

export default SidebarPages;
