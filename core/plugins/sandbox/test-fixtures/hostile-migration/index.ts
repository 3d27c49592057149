// Hostile: the code is harmless; the attack is in migrations/0001_escape.sql.
import { definePlugin } from '../../../../../plugin-sdk/index.ts';

export default definePlugin({});
