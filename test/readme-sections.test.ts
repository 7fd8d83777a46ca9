import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { README_SECTIONS, replaceSection } from '../src/docs/update-readme.js';

describe('README.md generated sections', () => {
  const readme = readFileSync('README.md', 'utf8');

  it.each(Object.keys(README_SECTIONS))('%s is current (run `npm run docs` when this fails)', (name) => {
    const render = README_SECTIONS[name as keyof typeof README_SECTIONS];
    expect(replaceSection(readme, name, render())).toBe(readme);
  });

  it('has a mapping table for every export adapter', () => {
    for (const title of ['Okta System Log', 'Microsoft Entra ID', 'Duo']) expect(readme).toMatch(new RegExp(`#### ${title}`));
  });
});
