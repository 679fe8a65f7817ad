// The sign-in page: organization (tenant), username or email, password. On <tenant>.<domain> the
// organization is filled in from the address.
import { Box, Button, FormGroup, H2, H5, Input, Label, MessageBox, Text } from '@adminjs/design-system';
import React from 'react';

const tenantFromHost = () => {
  const parts = window.location.hostname.split('.');
  const isIp = /^\d+$/.test(parts[parts.length - 1] ?? '');
  return parts.length > 1 && !isIp ? parts[0] : '';
};

// After a failed sign-in the page is rendered anew: keep what was typed (never the password).
const REMEMBER = 'epesi.login';
const remembered = (): { tenant?: string; email?: string } => {
  try {
    return JSON.parse(window.sessionStorage.getItem(REMEMBER) ?? '{}');
  } catch {
    return {};
  }
};
const remember = (form: HTMLFormElement) => {
  const data = new FormData(form);
  window.sessionStorage.setItem(REMEMBER, JSON.stringify({ tenant: data.get('tenant'), email: data.get('email') }));
};

const Login: React.FC = () => {
  const previous = remembered();
  const state = (window as unknown as { __APP_STATE__: { action: string; errorMessage?: string; csrfToken?: string } }).__APP_STATE__;
  const { action, errorMessage, csrfToken } = state;
  return (
    <Box flex variant="grey" style={{ alignItems: 'center', justifyContent: 'center', flexDirection: 'column', height: '100%' }}>
      <Box bg="white" flex boxShadow="login" width={[1, 2 / 3, 'auto']}>
        <Box bg="primary100" color="white" p="x3" width="340px" display={['none', 'none', 'block']}>
          <H2 fontWeight="lighter">EpesiCRM</H2>
          <Text fontWeight="lighter" mt="default">
            The back office of your CRM: customers, sales, products, assistants and analytics.
          </Text>
        </Box>
        <Box as="form" action={action} method="POST" p="x3" width={['100%', '100%', '440px']} onSubmit={(e: React.FormEvent<HTMLFormElement>) => remember(e.currentTarget)}>
          <H5 marginBottom="xxl">Sign in</H5>
          {/* The page's token (admin/csrf.ts): a sign-in posted by another site has none. */}
          <input type="hidden" name="_csrf" value={csrfToken ?? ''} />
          {errorMessage && <MessageBox my="lg" message={errorMessage} variant="danger" />}
          <FormGroup>
            <Label required htmlFor="tenant">Organization</Label>
            <Input id="tenant" name="tenant" defaultValue={tenantFromHost() || previous.tenant || ''} placeholder="e.g. acme" autoComplete="organization" />
          </FormGroup>
          <FormGroup>
            <Label required htmlFor="email">Username or email</Label>
            <Input id="email" name="email" defaultValue={previous.email ?? ''} placeholder="e.g. director" autoComplete="username" />
          </FormGroup>
          <FormGroup>
            <Label required htmlFor="password">Password</Label>
            <Input id="password" type="password" name="password" autoComplete="current-password" />
          </FormGroup>
          <Text mt="xl" textAlign="center">
            <Button variant="contained" type="submit">Sign in</Button>
          </Text>
        </Box>
      </Box>
    </Box>
  );
};

export default Login;
