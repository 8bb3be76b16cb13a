import { PassThrough } from 'node:stream';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { gatedItemsFrom, writeGatedCmi5Package } from '../../packager/gated/index.js';
import { readCmi5Structure } from '../../packager/inspect/cmi5.js';
import { parseXml } from '../../packager/xml/parse.js';
import { validateXml } from '../helpers/xmllint.js';

const PAGE = 'https://cdn.example/courses/c1/_coursegate/cmi5-launch.html';
const ORIGINAL = `<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://pub.example/course/1"><title><langstring lang="en">Course</langstring></title>
    <description><langstring lang="en">C</langstring></description></course>
  <block id="https://pub.example/block/a"><title><langstring lang="en">Part A</langstring></title>
    <description><langstring lang="en">A</langstring></description>
    <au id="https://pub.example/au/1" moveOn="Completed" launchMethod="OwnWindow"><title><langstring lang="en">One</langstring></title>
      <description><langstring lang="en">1</langstring></description><url>a/one.html?x=1&amp;y=2</url>
      <launchParameters>{"level":1}</launchParameters></au>
  </block>
  <au id="https://pub.example/au/2" moveOn="CompletedAndPassed" masteryScore="0.75"><title><langstring lang="en">Two &amp; more</langstring></title>
    <description><langstring lang="en">2</langstring></description><url>two.html</url></au>
</courseStructure>`;

async function gatedXml(): Promise<string> {
  const info = readCmi5Structure(parseXml(ORIGINAL));
  const items = gatedItemsFrom(info.organizations[0]!.items, info.launchables);
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeGatedCmi5Package({
    course: { id: 'c1', title: info.title, items },
    iri: info.identifier,
    launchPageUrl: PAGE,
    token: 'a.b.c',
    output: out,
  });
  out.end();
  return strFromU8(unzipSync(new Uint8Array(Buffer.concat(chunks)))['cmi5.xml']!);
}

describe('writeGatedCmi5Package with a multi-AU cmi5 course', () => {
  it('keeps ids, blocks, titles, moveOn, masteryScore, launchMethod and launchParameters, and validates', async () => {
    const xml = await gatedXml();
    await validateXml({ xml }, 'cmi5');
    const gated = readCmi5Structure(parseXml(xml));
    const original = readCmi5Structure(parseXml(ORIGINAL));
    const keep = (i: typeof gated) =>
      i.launchables.map(({ id, title, moveOn, masteryScore, launchMethod, parameters }) => ({
        id,
        title,
        moveOn,
        masteryScore,
        launchMethod,
        parameters,
      }));
    expect(keep(gated)).toEqual(keep(original));
    expect(gated.identifier).toBe('https://pub.example/course/1');
    expect(gated.organizations[0]!.items[0]).toMatchObject({ identifier: 'https://pub.example/block/a' });
  });

  it('each AU launches its own entry through the launch page', async () => {
    const urls = readCmi5Structure(parseXml(await gatedXml())).launchables.map((a) => a.launchUrl);
    expect(urls).toEqual([
      `${PAGE}?t=a.b.c&au=${encodeURIComponent('a/one.html?x=1&y=2')}`,
      `${PAGE}?t=a.b.c&au=two.html`,
    ]);
  });
});
