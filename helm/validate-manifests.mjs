// Validates rendered Kubernetes manifests (multi-document YAML files given as arguments)
// against the Kubernetes OpenAPI schemas bundled in kubernetes-models. Exits non-zero and
// names the object and the violation on the first file with any error, and also when a
// document's apiVersion/kind has no schema, so that a typo in either cannot pass unnoticed.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node validate-manifests.mjs <rendered.yaml>...');
  process.exit(2);
}

async function modelFor(apiVersion, kind) {
  // core objects (apiVersion "v1") live at kubernetes-models/v1, the others at <group>/<version>
  try {
    const models = await import(`kubernetes-models/${apiVersion}`);
    return models[kind];
  } catch {
    return undefined;
  }
}

const errors = [];
let checked = 0;
for (const file of files) {
  for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) {
    if (document.errors.length > 0) {
      errors.push(`${file}: YAML error: ${document.errors.map((e) => e.message).join('; ')}`);
      continue;
    }
    const object = document.toJS();
    if (object == null) {
      continue;
    }
    const { apiVersion, kind } = object;
    const name = `${kind ?? '?'}/${object.metadata?.name ?? '?'} (${apiVersion ?? '?'}) in ${file}`;
    const Model = (typeof apiVersion === 'string' && typeof kind === 'string')
      ? await modelFor(apiVersion, kind) : undefined;
    if (Model === undefined) {
      errors.push(`${name}: no Kubernetes schema for this apiVersion and kind`);
      continue;
    }
    if (!object.metadata?.name) {
      errors.push(`${name}: metadata.name is missing`);
      continue;
    }
    try {
      new Model(object).validate();
      checked++;
    } catch (error) {
      errors.push(`${name}: ${error.message}`);
    }
  }
}

if (errors.length > 0) {
  console.error(errors.join('\n'));
  process.exit(1);
}
if (checked === 0) {
  console.error('no Kubernetes objects found');
  process.exit(1);
}
console.log(`${checked} objects valid`);
