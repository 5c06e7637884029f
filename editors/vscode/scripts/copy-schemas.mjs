// Copies the repository's JSON Schemas (editors/schemas/*.schema.json) into this
// extension's schemas/ folder, so that package.json's jsonValidation entries can
// point inside the packaged .vsix. Run by `npm run compile` and before packaging.
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, '..', '..', 'schemas');
const target = join(here, '..', 'schemas');

if (!existsSync(source)) {
  console.error(`copy-schemas: ${source} does not exist; run this from a marginalia checkout`);
  process.exit(1);
}
mkdirSync(target, { recursive: true });
const schemas = readdirSync(source).filter((name) => name.endsWith('.schema.json'));
for (const name of schemas) {
  copyFileSync(join(source, name), join(target, name));
}
console.log(`copy-schemas: ${schemas.join(', ')} -> schemas/`);
