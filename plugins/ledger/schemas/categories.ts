// Categories: two levels (groups, and categories inside a group).
import { z } from 'zod';
import { Id } from './common.ts';

export const CategoryKind = z.enum(['expense', 'income', 'transfer']);
const Name = z.string().trim().min(1).max(100);

/** Without parentId: a group. With it: a category in that group (kind defaults to the group's). */
export const CategoryCreate = z
  .object({ name: Name, parentId: Id.nullable().optional(), kind: CategoryKind.optional(), hidden: z.boolean().default(false) })
  .strict();
export type CategoryCreateT = z.input<typeof CategoryCreate>;

/** parentId moves a category to another group (null turns a category without children into a group). */
export const CategoryUpdate = z
  .object({ name: Name, parentId: Id.nullable(), kind: CategoryKind, hidden: z.boolean(), position: z.number().int().min(0).max(100_000) })
  .partial()
  .strict();
export type CategoryUpdateT = z.input<typeof CategoryUpdate>;

/** Moves every transaction (and PFC mapping; budgets via the merged event) from one category into another. */
export const CategoryMerge = z.object({ fromId: Id, intoId: Id }).strict();
export type CategoryMergeT = z.input<typeof CategoryMerge>;

export const Category = z.object({
  id: Id,
  parentId: Id.nullable(),
  name: z.string(),
  kind: CategoryKind,
  hidden: z.boolean(),
  position: z.number().int(),
  isGroup: z.boolean(),
  pfcCodes: z.array(z.string()),
});
export type CategoryT = z.infer<typeof Category>;
