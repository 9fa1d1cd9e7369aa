import { describe, expect, it } from 'vitest';
import { ClusterKindRouter } from '../../src/backups/cluster-kind-router.js';
import { projectsWorthListing } from '../../src/backups/cluster-reference-loader.js';

// Which projects a batch of cluster references reads as a list (one call) rather than name by name.

const A = '6b1f1ee70000000000000040';
const B = '32b6e34b3d91647abb20e7b8';
const key = (groupId: string, clusterName: string) => ({ groupId, clusterName });

describe('projectsWorthListing', () => {
  it('lists a project the batch names twice or more, not one it names once', () => {
    const keys = [key(A, 'a1'), key(B, 'b1'), key(A, 'a2'), key(A, 'a3')];
    expect(projectsWorthListing(keys, new ClusterKindRouter())).toEqual([A]);
  });

  it('does not count names remembered as Flex: the list of dedicated clusters cannot answer them', () => {
    const kinds = new ClusterKindRouter();
    kinds.learn(B, 'flex1', 'flex');
    kinds.learn(B, 'rs', 'replicaSet');
    expect(projectsWorthListing([key(B, 'flex1'), key(B, 'rs')], kinds)).toEqual([]);
    expect(projectsWorthListing([key(B, 'flex1'), key(B, 'rs'), key(B, 'new')], kinds)).toEqual([B]);
  });
});
