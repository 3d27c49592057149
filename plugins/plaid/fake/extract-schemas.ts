// Regenerates spec-extract.json from ../shared/specs/plaid-2020-09-14.yml:
//   node plugins/plaid/fake/extract-schemas.ts
// Run it after changing the endpoints or webhooks the fake serves (spec-endpoints.ts); the
// conformance test fails while the committed extract differs from a fresh one.
import { writeFileSync } from 'node:fs';
import { EXTRACT_FILE, extractSchemas, readFullSpec, SPEC_FILE } from './spec.ts';

const spec = readFullSpec();
if (!spec) {
  console.error(`Plaid spec not found at ${SPEC_FILE}`);
  process.exit(1);
}
const extract = extractSchemas(spec);
writeFileSync(EXTRACT_FILE, JSON.stringify(extract, null, 1) + '\n');
console.log(`wrote ${Object.keys(extract.schemas).length} schemas for ${Object.keys(extract.paths).length} endpoints to ${EXTRACT_FILE}`);
