// Instance configuration that is not secret. Secrets and deployment settings come from the
// environment (see README); this file says which plugins run and how.
export default {
  signup: { open: true },
  session: { accessTokenMinutes: 10, refreshTokenDays: 30 },
  invites: { expiryHours: 72 },
  http: { maxBodyBytes: 1_048_576 },
  // Plugins: { id, from: './plugins/<id>' or an installed package name, mode: 'in-process' | 'sandboxed' }.
  // Third-party plugins wait on /admin/plugins until the instance admin approves their permissions
  // (again after an upgrade that asks for more). First-party plugins from ./plugins running
  // in-process are approved by this listing: they ship and upgrade with mff itself.
  plugins: [
    // The ledger first: rules and budgets (issue 5) read its tables and require its service.
    { id: 'ledger', from: './plugins/ledger', mode: 'in-process' },
    { id: 'rules', from: './plugins/rules', mode: 'in-process' },
    { id: 'budgets', from: './plugins/budgets', mode: 'in-process' },
    // Statement files (OFX/QFX/QIF/CSV) into ledger accounts; requires the ledger's services.
    { id: 'import', from: './plugins/import', mode: 'in-process' },
    // Bank connections through Plaid (issue 6): sandboxed, it handles secrets and outside data. The
    // admin approves its permissions on /admin/plugins; it needs a superuser database (the embedded
    // one is) to create its own database roles.
    { id: 'plaid', from: './plugins/plaid', mode: 'sandboxed' },
  ],
};
