import * as path from 'path';
import { ComposeTransformOptions, loadCompose, readSources, transformCompose } from '../../src';

/** The options the issue-20 fixtures convert with. */
export const OPTIONS: ComposeTransformOptions = { project: 'acme', domain: 'acme.example.com' };

/** The path of a fixture under test/compose/fixtures. */
export const fixtureFile = (fixture: string) => path.join(__dirname, 'fixtures', fixture, 'docker-compose.yml');

/** A compose file given inline (`c.yml`), converted. */
export const inlinePlan = (content: string) => transformCompose(loadCompose({ files: [{ file: 'c.yml', content }] }), OPTIONS);

/** A fixture converted, with readers of its report and components. */
export function fixturePlan(fixture: string) {
  const plan = transformCompose(loadCompose(readSources([fixtureFile(fixture)])), OPTIONS);
  return {
    plan,
    /** The report lines of one service, in order. */
    lines: (service: string) => plan.report.filter((l) => l.service === service).map((l) => l.message),
    component: (name: string) => plan.components.find((c) => c.name === name)!,
  };
}

/** A TCP port as component plans state it. */
export const TCP = (number: number) => ({ number, protocol: 'TCP' });
