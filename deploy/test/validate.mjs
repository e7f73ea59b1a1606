#!/usr/bin/env node
// Validates Kubernetes manifests offline.
//
//   node validate.mjs [--crds DIR]... FILE|- ...
//
// * Built-in kinds are checked against the Kubernetes OpenAPI schemas compiled into
//   kubernetes-models, and additionally for unknown fields: those schemas do not forbid extra
//   properties, while the API server drops (or, with strict field validation, rejects) them, so a
//   misspelt field would otherwise pass silently.
// * CustomResourceDefinitions are checked as built-in objects and for structure: name, one storage
//   version, a structural object schema on every version, and a schema ajv can compile.
// * Custom resources are checked against the openAPIV3Schema of their CRD (from the inputs or from
//   the --crds directories), with unknown fields rejected as the API server's pruning would drop them.
// * PromQL must parse: the expr of every PrometheusRule rule, and of every panel target of a Grafana
//   dashboard held in a ConfigMap (a data key ending in .json with panels), with Grafana's interval
//   variables replaced by a duration first.
//
// Prints one line per problem and exits 1 if there is any.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import Ajv from 'ajv';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';

const builtInModules = {
  v1: 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'batch/v1': 'kubernetes-models/batch/v1',
  'rbac.authorization.k8s.io/v1': 'kubernetes-models/rbac.authorization.k8s.io/v1',
  'apiextensions.k8s.io/v1': 'kubernetes-models/apiextensions.k8s.io/v1',
  'coordination.k8s.io/v1': 'kubernetes-models/coordination.k8s.io/v1',
  'policy/v1': 'kubernetes-models/policy/v1',
  'scheduling.k8s.io/v1': 'kubernetes-models/scheduling.k8s.io/v1',
  // prometheus-operator's CRDs (ServiceMonitor, PrometheusRule, ...), compiled the same way.
  'monitoring.coreos.com/v1': '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1',
};

const problems = [];
const report = (where, message) => problems.push(`${where}: ${message}`);

function parseArgs(argv) {
  const crdDirs = [];
  const files = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--crds') {
      crdDirs.push(argv[++i]);
    } else {
      files.push(argv[i]);
    }
  }
  if (files.length === 0) {
    console.error('usage: node validate.mjs [--crds DIR]... FILE|- ...');
    process.exit(2);
  }
  return { crdDirs, files };
}

function loadDocuments(file) {
  const text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  const name = file === '-' ? '<stdin>' : file;
  try {
    return yaml
      .loadAll(text)
      .map((doc, index) => ({ doc, where: `${name}#${index}` }))
      .filter(({ doc }) => doc !== null && doc !== undefined);
  } catch (error) {
    report(name, `YAML does not parse: ${error.message}`);
    return [];
  }
}

// Records which properties a validator reads. A compiled schema reads each property it knows (and
// every key of a map it iterates), so in an object the validator looked into, a property it never
// read is an unknown field. Objects it never looked into are free-form (an `any` in the schema,
// such as a CRD's additionalProperties) and are not judged.
function tracked(value, path, reads) {
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const record = (key) => {
    if (typeof key === 'string') {
      reads.inspected.add(path);
      reads.keys.add(`${path}/${key}`);
    }
  };
  return new Proxy(value, {
    get(target, key, receiver) {
      const child = Reflect.get(target, key, receiver);
      if (typeof key !== 'string' || !Object.hasOwn(target, key)) {
        record(key);
        return child;
      }
      record(key);
      return tracked(child, `${path}/${key}`, reads);
    },
    has(target, key) {
      record(key);
      return Reflect.has(target, key);
    },
  });
}

// kubernetes-models drops these properties from its compiled schemas together with the keywords of
// the same names (documentation and Kubernetes extensions), so no validator reads them even where
// they are legitimate: CRD schemas and printer columns.
const unreadProperties = new Set([
  'description',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-list-type',
  'x-kubernetes-map-type',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-validations',
]);

function unknownFields(value, path, reads, found) {
  if (value === null || typeof value !== 'object' || !reads.inspected.has(path)) {
    return found;
  }
  for (const [key, child] of Object.entries(value)) {
    const childPath = `${path}/${key}`;
    if (reads.keys.has(childPath)) {
      unknownFields(child, childPath, reads, found);
    } else if (!unreadProperties.has(key)) {
      found.push(childPath);
    }
  }
  return found;
}

async function validateBuiltIn(doc, where) {
  const modulePath = builtInModules[doc.apiVersion];
  const models = modulePath ? await import(modulePath) : undefined;
  const model = models?.[doc.kind];
  if (!model) {
    return false;
  }
  const reads = { inspected: new Set(), keys: new Set() };
  try {
    model.prototype.validate.call(tracked(doc, '', reads));
  } catch (error) {
    report(where, `${doc.kind} ${doc.metadata?.name}: ${error.message}`);
    return true;
  }
  for (const field of unknownFields(doc, '', reads, [])) {
    report(where, `${doc.kind} ${doc.metadata?.name}: unknown field ${field}`);
  }
  return true;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false });

// Kubernetes prunes fields a structural schema does not declare; rejecting them here catches typos.
function closed(schema) {
  if (schema === null || typeof schema !== 'object') {
    return schema;
  }
  const copy = Array.isArray(schema) ? schema.map(closed) : {};
  if (Array.isArray(schema)) {
    return copy;
  }
  for (const [key, value] of Object.entries(schema)) {
    copy[key] = key === 'default' || key === 'example' || key === 'enum' ? value : closed(value);
  }
  if (schema.properties && schema.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields']) {
    copy.additionalProperties = false;
  }
  if (schema.nullable === true && typeof schema.type === 'string') {
    copy.type = [schema.type, 'null'];
  }
  return copy;
}

function structuralProblems(schema, path, found) {
  if (schema === null || typeof schema !== 'object') {
    return found;
  }
  const opaque = schema['x-kubernetes-int-or-string'] || schema['x-kubernetes-preserve-unknown-fields'];
  if (!schema.type && !opaque) {
    found.push(`${path || '/'} has no type`);
  }
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    structuralProblems(child, `${path}/${key}`, found);
  }
  if (schema.items) {
    structuralProblems(schema.items, `${path}[]`, found);
  }
  if (typeof schema.additionalProperties === 'object') {
    structuralProblems(schema.additionalProperties, `${path}/*`, found);
  }
  return found;
}

const crdsByKind = new Map();

function registerCrd(crd, where) {
  const spec = crd.spec ?? {};
  const names = spec.names ?? {};
  const label = `CustomResourceDefinition ${crd.metadata?.name}`;
  if (crd.metadata?.name !== `${names.plural}.${spec.group}`) {
    report(where, `${label}: name must be <plural>.<group> (${names.plural}.${spec.group})`);
  }
  if (!['Namespaced', 'Cluster'].includes(spec.scope)) {
    report(where, `${label}: scope must be Namespaced or Cluster`);
  }
  const versions = spec.versions ?? [];
  if (versions.filter((v) => v.storage).length !== 1) {
    report(where, `${label}: exactly one version must be the storage version`);
  }
  for (const version of versions) {
    const schema = version.schema?.openAPIV3Schema;
    if (!schema) {
      report(where, `${label} ${version.name}: no openAPIV3Schema`);
      continue;
    }
    if (schema.type !== 'object') {
      report(where, `${label} ${version.name}: the root schema must be type object`);
    }
    for (const problem of structuralProblems(schema, '', [])) {
      report(where, `${label} ${version.name}: not structural: ${problem}`);
    }
    let validate;
    try {
      validate = ajv.compile(closed(schema));
    } catch (error) {
      report(where, `${label} ${version.name}: schema does not compile: ${error.message}`);
      continue;
    }
    crdsByKind.set(`${spec.group}/${version.name}/${names.kind}`, { validate, scope: spec.scope, served: version.served });
  }
}

function validateCustomResource(doc, where) {
  const crd = crdsByKind.get(`${doc.apiVersion}/${doc.kind}`);
  if (!crd) {
    return false;
  }
  const label = `${doc.kind} ${doc.metadata?.name}`;
  if (!crd.served) {
    report(where, `${label}: version ${doc.apiVersion} is not served`);
  }
  if (crd.scope === 'Cluster' && doc.metadata?.namespace) {
    report(where, `${label}: cluster-scoped resources have no namespace`);
  }
  if (!crd.validate(doc)) {
    for (const error of crd.validate.errors) {
      const extra = error.params?.additionalProperty ? ` (${error.params.additionalProperty})` : '';
      report(where, `${label}: ${error.instancePath || '/'} ${error.message}${extra}`);
    }
  }
  return true;
}

// Grafana substitutes these before the query reaches Prometheus; other $variables sit inside label
// matcher strings, where any text parses.
const grafanaDurations = /\$(__rate_interval|__interval|__range)\b|\$\{(__rate_interval|__interval|__range)\}/g;

function promqlProblem(expr) {
  if (typeof expr !== 'string' || expr.trim() === '') {
    return 'empty expression';
  }
  const text = expr.replace(grafanaDurations, '5m');
  let problem;
  promqlParser.parse(text).iterate({
    enter: (node) => {
      if (problem === undefined && node.type.isError) {
        problem = `does not parse at offset ${node.from}: ${text.slice(Math.max(0, node.from - 20), node.from + 20)}`;
      }
    },
  });
  return problem;
}

function validatePromQL(doc, where) {
  const label = `${doc.kind} ${doc.metadata?.name}`;
  if (doc.apiVersion === 'monitoring.coreos.com/v1' && doc.kind === 'PrometheusRule') {
    for (const group of doc.spec?.groups ?? []) {
      for (const rule of group.rules ?? []) {
        const problem = promqlProblem(rule.expr);
        if (problem) {
          report(where, `${label}: rule ${rule.alert ?? rule.record}: ${problem}`);
        }
      }
    }
  }
  if (doc.apiVersion === 'v1' && doc.kind === 'ConfigMap') {
    for (const [key, text] of Object.entries(doc.data ?? {})) {
      if (!key.endsWith('.json')) {
        continue;
      }
      let dashboard;
      try {
        dashboard = JSON.parse(text);
      } catch (error) {
        report(where, `${label}: ${key} is not JSON: ${error.message}`);
        continue;
      }
      for (const panel of dashboard.panels ?? []) {
        for (const target of panel.targets ?? []) {
          const problem = promqlProblem(target.expr);
          if (problem) {
            report(where, `${label}: ${key} panel "${panel.title}" target ${target.refId}: ${problem}`);
          }
        }
      }
    }
  }
}

const { crdDirs, files } = parseArgs(process.argv.slice(2));
const documents = files.flatMap(loadDocuments);
const crdDocuments = crdDirs.flatMap((dir) =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .sort()
    .flatMap((name) => loadDocuments(join(dir, name))),
);

const identities = new Set();
for (const { doc, where } of [...crdDocuments, ...documents]) {
  if (doc.kind === 'CustomResourceDefinition' && doc.apiVersion === 'apiextensions.k8s.io/v1') {
    registerCrd(doc, where);
  }
}

for (const { doc, where } of documents) {
  if (typeof doc !== 'object' || !doc.apiVersion || !doc.kind || !doc.metadata?.name) {
    report(where, 'not a Kubernetes object (apiVersion, kind and metadata.name are required)');
    continue;
  }
  const identity = `${doc.apiVersion}/${doc.kind}/${doc.metadata.namespace ?? ''}/${doc.metadata.name}`;
  if (identities.has(identity)) {
    report(where, `duplicate object ${identity}`);
  }
  identities.add(identity);
  if (!(await validateBuiltIn(doc, where)) && !validateCustomResource(doc, where)) {
    report(where, `${doc.kind} ${doc.metadata.name}: no schema for ${doc.apiVersion} ${doc.kind}`);
  }
  validatePromQL(doc, where);
}

for (const problem of problems) {
  console.log(problem);
}
console.log(`validate: ${documents.length} objects, ${problems.length} problems`);
process.exit(problems.length === 0 ? 0 : 1);
