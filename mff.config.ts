// Instance configuration that is not secret. Secrets and deployment settings come from the
// environment (see README); this file says which plugins run and how.
export default {
  signup: { open: true },
  session: { accessTokenMinutes: 10, refreshTokenDays: 30 },
  invites: { expiryHours: 72 },
  http: { maxBodyBytes: 1_048_576 },
  plugins: [],
};
