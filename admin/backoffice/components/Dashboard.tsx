// The home page per role (domain/home.ts): the user's work in a few figures, each a link to the list of
// exactly the records it counts. Then shortcuts to the everyday lists.
import { ApiClient } from 'adminjs';
import { Box, Button, H2, H5, Link, Text } from '@adminjs/design-system';
import React, { useEffect, useState } from 'react';
import { formatMoney } from './Money';

interface Figure {
  label: string;
  count: number;
  sum?: string;
  href: string;
}
interface Home {
  role: 'agent' | 'manager' | 'director' | 'admin';
  sections: { title: string; figures: Figure[] }[];
  analytics?: string;
}
interface Me {
  user: { first_name: string };
}

const ABOUT: Record<Home['role'], string> = {
  agent: 'Your deals, activities and leads.',
  manager: 'Your team’s deals, activities and leads.',
  director: 'The pipeline, deals won and new leads of everything you can see.',
  admin: 'Recent changes to who can do what, and the integrations in use.',
};

const testId = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

const FigureLink: React.FC<{ f: Figure }> = ({ f }) => (
  <Link href={f.href} data-testid="home-figure" style={{ display: 'block', padding: '8px 12px', border: '1px solid #e4e4ef', borderRadius: 6, minWidth: 180 }}>
    <Text as="span" style={{ display: 'block', fontSize: 24, fontWeight: 600 }} data-testid="home-count">
      {f.count.toLocaleString('en-US')}
    </Text>
    <Text as="span" style={{ display: 'block' }} color="grey80">
      {f.label}
    </Text>
    {f.sum !== undefined && (
      <Text as="span" style={{ display: 'block' }} color="grey80" data-testid="home-sum">
        worth {formatMoney(f.sum, null)}
      </Text>
    )}
  </Link>
);

const SHORTCUTS: [string, string][] = [
  ['Contacts', 'contacts'],
  ['Leads', 'leads'],
  ['Deals', 'deals'],
  ['Activities', 'activities'],
  ['Companies', 'companies'],
];

const Dashboard: React.FC = () => {
  const [home, setHome] = useState<Home | null>(null);
  const [me, setMe] = useState<Me | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    new ApiClient()
      .getDashboard()
      .then((r) => setHome(r.data as Home))
      .catch(() => setFailed(true));
    fetch('/auth/me', { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : null))
      .then(setMe)
      .catch(() => setMe(null));
  }, []);
  return (
    <Box variant="grey">
      <Box variant="white" data-testid="dashboard">
        <H2>{me ? `Welcome, ${me.user.first_name}` : 'Welcome'}</H2>
        {home && <Text mb="xl">{ABOUT[home.role]} Click a figure to open its list.</Text>}
        {failed && <Text mb="xl">Your figures could not be loaded; reload the page to try again.</Text>}
        {home?.sections.map((s) => (
          <Box key={s.title} mb="xl" data-testid={`home-${testId(s.title)}`}>
            <H5>{s.title}</H5>
            {s.figures.length === 0 ? (
              <Text color="grey60">Nothing to show yet.</Text>
            ) : (
              <Box flex flexDirection="row" style={{ gap: 12, flexWrap: 'wrap' }}>
                {s.figures.map((f) => (
                  <FigureLink key={f.href} f={f} />
                ))}
              </Box>
            )}
          </Box>
        ))}
        {home?.analytics && (
          <Box mb="xl" data-testid="dashboard-analytics-link">
            <Button as="a" href={home.analytics} variant="contained" style={{ color: '#fff' }}>
              Open the analytics dashboard
            </Button>
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
