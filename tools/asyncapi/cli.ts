// `npm run asyncapi`: writes docs/asyncapi.yaml; `npm run asyncapi -- --check` only says whether it is current.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderAsyncApi } from './asyncapi';

const file = join(__dirname, '..', '..', 'docs', 'asyncapi.yaml');
const text = renderAsyncApi();
if (process.argv.includes('--check')) {
  const current = readFileSync(file, 'utf8');
  if (current !== text) {
    process.stderr.write('docs/asyncapi.yaml is out of date: run `npm run asyncapi`\n');
    process.exit(1);
  }
  process.stdout.write('docs/asyncapi.yaml is current\n');
} else {
  writeFileSync(file, text);
  process.stdout.write(`wrote ${file}\n`);
}
