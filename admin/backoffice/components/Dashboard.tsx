// The home page: who you are, what your role lets you see, the way to your role's dashboard (Directors and
// Sales Managers), and shortcuts to the everyday lists.
import { Box, Button, H2, H5, Text } from '@adminjs/design-system';
import React, { useEffect, useState } from 'react';

interface Me {
  user: { first_name: string; last_name: string; username: string };
  role: { level: number; permissions: string[] };
}

const scopeOf = (permissions: string[]) =>
  permissions.includes('view_all_data')
    ? 'all records of your organization'
    : permissions.includes('view_team_data')
      ? 'your records and your team’s'
      : 'your own records';

const SHORTCUTS: [string, string][] = [
  ['Contacts', 'contacts'],
  ['Leads', 'leads'],
  ['Deals', 'deals'],
  ['Activities', 'activities'],
  ['Companies', 'companies'],
  ['Products', 'products'],
];

const Dashboard: React.FC = () => {
  const [me, setMe] = useState<Me | null>(null);
  useEffect(() => {
    fetch('/auth/me', { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : null))
      .then(setMe)
      .catch(() => setMe(null));
  }, []);
  return (
    <Box variant="grey">
      <Box variant="white" data-testid="dashboard">
        <H2>{me ? `Welcome, ${me.user.first_name}` : 'Welcome'}</H2>
        {me && (
          <Text mb="xl">
            Level {me.role.level}. You see {scopeOf(me.role.permissions)}.
          </Text>
        )}
        {me && (me.role.permissions.includes('view_analytics') || me.role.permissions.includes('view_reports')) && (
          <Box mb="xl" data-testid="dashboard-analytics-link">
            <H5>{me.role.permissions.includes('view_analytics') ? 'Your dashboards' : 'Your team’s figures'}</H5>
            <Text mb="default">
              {me.role.permissions.includes('view_analytics')
                ? 'Headline figures of the last 30 days against the 30 before, activity, pipeline, conversion and retention.'
                : 'Leads, conversion, pipeline and activities of your team over the last 30 days, against the 30 before.'}
            </Text>
            <Button as="a" href="/admin/pages/Analytics" variant="contained">Open the dashboard</Button>
          </Box>
        )}
        <H5>Go to</H5>
        <Box flex flexDirection="row" style={{ gap: 8, flexWrap: 'wrap' }}>
          {SHORTCUTS.map(([label, id]) => (
            <Button key={id} as="a" href={`/admin/resources/${id}`} variant="outlined">
              {label}
            </Button>
          ))}
        </Box>
      </Box>
    </Box>
  );
};

export default Dashboard;
