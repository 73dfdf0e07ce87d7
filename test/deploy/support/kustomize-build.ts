import { readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import fastJsonPatch, { type Operation } from 'fast-json-patch';
import { parse, parseAllDocuments } from 'yaml';

/** One Kubernetes object as YAML describes it. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

interface PatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
}

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  resources?: string[];
  images?: { name: string; newName?: string; newTag?: string }[];
  patches?: { path: string; target: PatchTarget }[];
  configMapGenerator?: { name: string; files: string[]; options?: { labels?: Record<string, string> } }[];
  generatorOptions?: { disableNameSuffixHash?: boolean };
}

const understood = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'resources',
  'images',
  'patches',
  'configMapGenerator',
  'generatorOptions',
]);

// Kinds the namespace transformer leaves alone (a Namespace itself is renamed, as kustomize does).
const clusterScoped = new Set([
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'StorageClass',
]);

/**
 * `kustomize build <dir>` for the part of kustomization.yaml that deploy/k8s uses: resources (files
 * and directories), namespace, images, JSON 6902 patches applied by fast-json-patch, and
 * configMapGenerator with fixed names. Anything else is refused rather than half-done, and it is
 * stricter than kustomize where kustomize is silent: a patch that matches nothing is an error.
 * Where the real kustomize is on the machine (`kubectl kustomize`), a test checks both agree.
 */
export function kustomizeBuild(dir: string): Manifest[] {
  const kustomization = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as Kustomization;
  const unknown = Object.keys(kustomization).filter((field) => !understood.has(field));
  if (unknown.length > 0)
    throw new Error(`${dir}/kustomization.yaml: not supported here: ${unknown.join(', ')}`);

  let manifests: Manifest[] = [];
  for (const entry of kustomization.resources ?? []) {
    const path = resolve(dir, entry);
    manifests.push(...(statSync(path).isDirectory() ? kustomizeBuild(path) : readManifests(path)));
  }
  for (const generator of kustomization.configMapGenerator ?? []) {
    if (kustomization.generatorOptions?.disableNameSuffixHash !== true) {
      throw new Error(`${dir}: configMapGenerator without disableNameSuffixHash is not supported here`);
    }
    manifests.push(configMapFrom(dir, generator));
  }
  for (const patch of kustomization.patches ?? []) {
    const operations = parse(readFileSync(resolve(dir, patch.path), 'utf8')) as unknown;
    if (!Array.isArray(operations))
      throw new Error(`${patch.path}: only JSON 6902 patches are supported here`);
    let matched = 0;
    manifests = manifests.map((manifest) => {
      if (!matches(manifest, patch.target)) return manifest;
      matched += 1;
      return fastJsonPatch.applyPatch(manifest, operations as Operation[], true, false).newDocument;
    });
    if (matched === 0) throw new Error(`${patch.path}: its target matches no resource`);
  }
  for (const image of kustomization.images ?? []) manifests.forEach((manifest) => setImage(manifest, image));
  const namespace = kustomization.namespace;
  if (namespace) manifests = manifests.map((manifest) => inNamespace(manifest, namespace));
  return manifests;
}

export function readManifests(path: string): Manifest[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((document) => document.toJS() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

function configMapFrom(
  dir: string,
  generator: NonNullable<Kustomization['configMapGenerator']>[number],
): Manifest {
  const data = Object.fromEntries(
    generator.files.map((file) => [basename(file), readFileSync(resolve(dir, file), 'utf8')]),
  );
  const labels = generator.options?.labels;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: generator.name, ...(labels ? { labels } : {}) },
    data,
  };
}

function matches(manifest: Manifest, target: PatchTarget): boolean {
  const [group, version] = manifest.apiVersion.includes('/')
    ? (manifest.apiVersion.split('/') as [string, string])
    : ['', manifest.apiVersion];
  return (
    (target.group === undefined || target.group === group) &&
    (target.version === undefined || target.version === version) &&
    (target.kind === undefined || target.kind === manifest.kind) &&
    (target.name === undefined || target.name === manifest.metadata.name)
  );
}

interface Container {
  image?: string;
}

/** The pod specs kustomize's image transformer reaches: pods, workloads' templates, cron jobs. */
export function podSpecsOf(manifest: Manifest): { containers?: Container[]; initContainers?: Container[] }[] {
  const spec = manifest.spec as Record<string, unknown> | undefined;
  const template = spec?.template as { spec?: object } | undefined;
  const jobTemplate = spec?.jobTemplate as { spec?: { template?: { spec?: object } } } | undefined;
  return [
    manifest.kind === 'Pod' ? spec : undefined,
    template?.spec,
    jobTemplate?.spec?.template?.spec,
  ].filter((podSpec): podSpec is object => podSpec !== undefined);
}

function setImage(manifest: Manifest, image: NonNullable<Kustomization['images']>[number]): void {
  for (const podSpec of podSpecsOf(manifest)) {
    for (const container of [...(podSpec.containers ?? []), ...(podSpec.initContainers ?? [])]) {
      const [name, tag] = splitImage(container.image ?? '');
      if (name !== image.name) continue;
      const newTag = image.newTag ?? tag;
      container.image = `${image.newName ?? name}${newTag ? `:${newTag}` : ''}`;
    }
  }
}

/** `registry:5000/name:tag` → [`registry:5000/name`, `tag`]: a tag is after the last `/`. */
function splitImage(image: string): [string, string | undefined] {
  const slash = image.lastIndexOf('/');
  const colon = image.indexOf(':', slash + 1);
  return colon === -1 ? [image, undefined] : [image.slice(0, colon), image.slice(colon + 1)];
}

function inNamespace(manifest: Manifest, namespace: string): Manifest {
  if (manifest.kind === 'Namespace')
    return { ...manifest, metadata: { ...manifest.metadata, name: namespace } };
  if (clusterScoped.has(manifest.kind)) return manifest;
  return { ...manifest, metadata: { ...manifest.metadata, namespace } };
}
