import { describe, expect, it } from 'vitest';
import { findDeclaredCapability, validateManifest } from '../../../functions/core/policy/agent-manifest.ts';
import { manifestFor } from './seed-agents.ts';

describe('validateManifest', () => {
  it('accepts a complete manifest and fills in absent constraints', () => {
    const { constraints: _omitted, ...withoutConstraints } = manifestFor('research-agent', 'research', [
      'search_web',
    ]);
    const result = validateManifest(withoutConstraints);
    expect(result).toEqual({ valid: true, manifest: { ...withoutConstraints, constraints: {} } });
  });

  it('names every offending field', () => {
    const result = validateManifest({
      schemaVersion: '2.0',
      identity: { agentId: 'has spaces', name: '', role: 'research' },
      capabilities: [{ name: 'launch_rockets', level: 'write', scopes: [] }],
      constraints: { maxTokensPerCall: -5 },
    });
    expect(result.valid).toBe(false);
    if (result.valid) return;
    expect(result.errors.map((error) => error.field).sort()).toEqual([
      'capabilities.0.name',
      'constraints.maxTokensPerCall',
      'identity.agentId',
      'identity.name',
      'schemaVersion',
    ]);
  });

  it('rejects an action declared twice, no capabilities at all, and unknown keys', () => {
    const manifest = manifestFor('a', 'research', ['search_web']);
    const duplicate = validateManifest(manifestFor('a', 'research', ['search_web', 'search_web']));
    const empty = validateManifest({ ...manifest, capabilities: [] });
    const unknownKey = validateManifest({ ...manifest, constraints: { maxTokenPerCall: 10 } });
    expect(duplicate).toMatchObject({ valid: false, errors: [{ field: 'capabilities' }] });
    expect(empty).toMatchObject({ valid: false, errors: [{ field: 'capabilities' }] });
    expect(unknownKey).toMatchObject({ valid: false, errors: [{ field: 'constraints' }] });
  });

  it('rejects input that is not an object at all', () => {
    expect(validateManifest('manifest')).toMatchObject({ valid: false, errors: [{ field: '' }] });
  });
});

describe('findDeclaredCapability', () => {
  const manifest = manifestFor('writer', 'writing', ['generate_document', 'review_document']);

  it('finds a declared action with its level and scopes', () => {
    expect(findDeclaredCapability(manifest, 'review_document')).toEqual({
      name: 'review_document',
      level: 'write',
      scopes: ['reports'],
    });
  });

  it('is undefined for an undeclared or unknown action', () => {
    expect(findDeclaredCapability(manifest, 'search_web')).toBeUndefined();
    expect(findDeclaredCapability(manifest, 'launch_rockets')).toBeUndefined();
  });
});
