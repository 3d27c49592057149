// What a household's fields may hold, in one place: the API's zod schemas, the UI's form checks
// and the OpenAPI document all come from these.
import { z } from 'zod';

// Node's list leaves out the bare 'UTC' id, which is what most people mean by "no time zone".
export const TIME_ZONES: readonly string[] = ['UTC', ...Intl.supportedValuesOf('timeZone')];
const timeZoneSet = new Set(TIME_ZONES);

// ISO 4217 codes the runtime can format; excludes test/metal codes like XXX or XAU.
export const CURRENCIES: readonly string[] = Intl.supportedValuesOf('currency');
const currencySet = new Set(CURRENCIES);

export const ROLES = ['owner', 'member', 'viewer'] as const;

export const householdName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
export const currencyCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{3}$/, 'must be a 3-letter ISO 4217 code')
  .transform((s) => s.toUpperCase())
  .refine((s) => currencySet.has(s), 'is not a known ISO 4217 currency')
  .meta({ description: 'ISO 4217 currency code, e.g. USD', example: 'EUR' });
export const timeZone = z
  .string()
  .trim()
  .refine((s) => timeZoneSet.has(s), 'is not a known IANA time zone')
  .meta({ description: 'IANA time zone, e.g. Europe/Paris', example: 'Europe/Paris' });
export const role = z.enum(ROLES);

export const HouseholdCreate = z.object({ name: householdName, baseCurrency: currencyCode, timeZone }).strict();
export const HouseholdUpdate = z
  .object({ name: householdName.optional(), baseCurrency: currencyCode.optional(), timeZone: timeZone.optional() })
  .strict();

export const Household = z.object({
  id: z.uuid(),
  name: z.string(),
  baseCurrency: z.string(),
  timeZone: z.string(),
  role,
  createdAt: z.string(),
});
export const Member = z.object({ userId: z.uuid(), name: z.string(), email: z.string(), role, joinedAt: z.string() });
export const InviteStatus = z.enum(['pending', 'accepted', 'revoked', 'expired']);
export const Invite = z.object({
  id: z.uuid(),
  role,
  status: InviteStatus,
  createdBy: z.string().nullable().meta({ description: 'name of the member who created it' }),
  expiresAt: z.string(),
  createdAt: z.string(),
  acceptedAt: z.string().nullable(),
});
export const CreatedInvite = Invite.extend({
  token: z.string().meta({ description: 'the secret; shown only in this response' }),
  url: z.string(),
});

export type HouseholdT = z.infer<typeof Household>;
export type MemberT = z.infer<typeof Member>;
export type InviteT = z.infer<typeof Invite>;
export type RoleT = z.infer<typeof role>;

export const isUuid = (s: string | undefined): s is string => !!s && z.uuid().safeParse(s).success;
