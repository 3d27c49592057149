// Types shared by every kernel route: what the request context carries.
import type { HouseholdInfo } from '../../plugin-sdk/types.ts';
import type { Logger } from '../log.ts';

export type Role = 'owner' | 'member' | 'viewer';
export type Scope = 'read' | 'write';

export type AuthUser = { id: string; email: string; name: string; isAdmin: boolean };

/** Who is calling and for which household. Set by core/auth/authenticate.ts; absent when anonymous. */
export type Auth = {
  user: AuthUser;
  via: 'cookie' | 'bearer' | 'pat';
  scopes: Scope[];
  /** The household this request acts for (null when the user has none yet). */
  householdId: string | null;
  /** That household's name, base currency and time zone, read with the credential (plugin calls carry them). */
  household: HouseholdInfo | null;
  role: Role | null;
  /** The refresh-token family behind a browser session or bearer JWT. */
  sessionId?: string;
};

export type AppEnv = {
  Variables: {
    requestId: string;
    nonce: string;
    log: Logger;
    csrfToken: string;
    auth?: Auth;
  };
};
