import { pendingReason } from '../images/image-file';
import { parseImage } from '../images/image-reference';
import { isPlainObject } from '../tree/strategic-patch';
import { RenderedIndex, asList, containersOf, nameOf } from './rendered-index';
import { VerifyProblem, VerifyRule } from './verify-problem';

/** An image as a container runtime pulls it: its host and full name (no tag or digest). */
interface PulledImage {
  /** Registry host, `docker.io` for a short name. */
  readonly host: string;
  /** registry/path (`docker.io/library/nginx` for `nginx`). */
  readonly name: string;
  /** The name had no registry host: the runtime pulls it from Docker Hub. */
  readonly short: boolean;
}

/** What the runtime pulls for `image` (the reference grammar is the compose importer's too). */
export function pulledImage(image: string): PulledImage {
  // An image the grammar refuses is still named as written (without tag or digest).
  const ref: { readonly registry?: string; readonly path: string } = parseImage(image) ?? { path: image.split('@')[0].replace(/:[^/:]*$/, '') };
  if (ref.registry !== undefined) return { host: ref.registry, name: `${ref.registry}/${ref.path}`, short: false };
  return { host: 'docker.io', name: `docker.io/${ref.path.includes('/') ? ref.path : `library/${ref.path}`}`, short: true };
}

/**
 * Rule 1: each container runs its image from the registry the definitions chose (no short
 * Docker Hub name unless the registry chosen is Docker Hub), golden charts run exactly the
 * image their ImageRepository scans, and the pod pulls with the registry's pull secret.
 */
export function checkImages(index: RenderedIndex): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  const facts = index.facts;
  const add = (component: string, message: string) => problems.push({ environment: facts.name, component, rule: VerifyRule.IMAGE, message });
  const scanned = new Map(index.of('ImageRepository').map((o) => [nameOf(o.object), o.object]));
  for (const workload of index.workloads.filter((w) => !w.standIn)) {
    const component = facts.components.find((c) => c.name === workload.component);
    const registry = component?.image?.registry ?? facts.registry;
    const pullSecrets = asList(workload.spec.imagePullSecrets).map((s) => String(s.name));
    // A pending release (image.yaml's tag, or its pinned digest, still empty) pulls no image
    // yet: its pods omit it, and the note check-flux gives says how it starts.
    const pending = pendingReason(workload.values) !== undefined;
    for (const container of containersOf(workload.spec)) {
      if (pending && container.image === undefined) continue;
      const image = String(container.image ?? '');
      const ref = pulledImage(image);
      const where = `${workload.object} container ${String(container.name)}`;
      if (ref.short && registry.host !== 'docker.io') {
        add(workload.component, `${where} runs ${image}, a short name the runtime pulls from Docker Hub; expected ${registry.host}/… (the registry the definitions chose), or ImageRegistry.dockerHub() to say Docker Hub is meant`);
        continue;
      }
      if (component?.image) {
        if (ref.name !== component.image.name) add(workload.component, `${where} runs ${ref.name}; expected ${component.image.name}, the image the definitions name`);
        const repository = scanned.get(workload.component);
        if (component.automated && !repository) add(workload.component, `image automation is enabled but the environment has no ImageRepository/${workload.component}; nothing scans ${component.image.name}`);
        const watched = repository && isPlainObject(repository.spec) ? String(repository.spec.image) : undefined;
        if (watched !== undefined && watched !== ref.name) {
          add(workload.component, `${where} runs ${ref.name} but ImageRepository/${workload.component} scans ${watched}: automation would move an image the pods never run`);
        }
        const scanSecret = repository && isPlainObject(repository.spec) && isPlainObject(repository.spec.secretRef) ? String(repository.spec.secretRef.name) : undefined;
        if (repository && scanSecret !== component.image.registry.pullSecret) {
          add(workload.component, `ImageRepository/${workload.component} scans with secret ${scanSecret ?? '(none)'}; expected ${component.image.registry.pullSecret ?? '(none)'}, the pull secret of ${component.image.registry.host}`);
        }
      }
      const imageRegistry = component?.image?.registry.host === ref.host ? component.image.registry : ref.host === registry.host ? registry : undefined;
      const secret = imageRegistry?.pullSecret;
      if (secret !== undefined && !pullSecrets.includes(secret)) {
        add(workload.component, `${where} pulls from ${ref.host} without its pull secret ${secret}; expected imagePullSecrets to name it (pods have ${pullSecrets.length ? pullSecrets.join(', ') : 'none'})`);
      }
    }
  }
  // A follower (imageFrom) runs exactly its leader's image: tag and digest included.
  const mainImage = (component: string) => index.workloads.filter((w) => w.component === component && !w.standIn)
    .map((w) => String(asList(w.spec.containers)[0]?.image ?? ''))[0];
  for (const follower of facts.components.filter((c) => c.imageFrom !== undefined)) {
    const expected = mainImage(follower.imageFrom!);
    const runs = mainImage(follower.name);
    // Pending: neither pulls an image yet ('' on both sides, or one side not rendered).
    if (expected === '' && runs === '') continue;
    if (expected !== undefined && runs !== undefined && runs !== expected) {
      add(follower.name, `runs ${runs}, but it follows ${follower.imageFrom} (imageFrom), which runs ${expected}; expected the same image: is ${follower.imageFrom}'s image.yaml patched into ${follower.name}?`);
    }
  }
  return problems;
}
