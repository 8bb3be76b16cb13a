import { describe, expect, it } from 'vitest';
import { gatedCmi5Files } from '../../formats/gated/index.js';
import { validateXml } from '../helpers/xmllint.js';

const PAGE = 'https://cdn.example/courses/c1/_coursegate/cmi5-launch.html';
const ORIGINAL = `\uFEFF<?xml version="1.0" encoding="utf-8"?>
<!-- a comment the LMS never reads, kept -->
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://pub.example/course/1"><title><langstring lang="en-US">Course</langstring></title>
    <description><langstring lang="en-US">C</langstring><langstring lang="fr">C fr</langstring></description></course>
  <block id="https://pub.example/block/a"><title><langstring lang="en-US">Part A</langstring></title>
    <description><langstring lang="en-US">A</langstring></description>
    <au id="https://pub.example/au/1" moveOn="Completed" launchMethod="OwnWindow"><title><langstring lang="en-US">One</langstring></title>
      <description><langstring lang="en-US">1</langstring></description><url>
        a/one.html?x=1&amp;y=2
      </url>
      <launchParameters>{"level":1}</launchParameters></au>
  </block>
  <au id="https://pub.example/au/2" moveOn="CompletedAndPassed" masteryScore="0.75"><title><langstring lang="en-US">Two &amp; more</langstring></title>
    <description><langstring lang="en-US">2</langstring></description><url><![CDATA[two.html]]></url></au>
  <au id="https://pub.example/au/3"><title><langstring lang="en-US">Three</langstring></title>
    <description><langstring lang="en-US">3</langstring></description><url>https://elsewhere.example/three.html</url></au>
</courseStructure>
`;

const gate = (xml: string, entry = 'a/one.html') =>
  new TextDecoder('utf-8', { ignoreBOM: true }).decode(
    gatedCmi5Files({ cmi5: new TextEncoder().encode(xml), launchPageUrl: PAGE, token: 'a.b.c', entry })[0]!
      .bytes,
  );

describe('gatedCmi5Files', () => {
  it('replaces only the text of each relative AU url, every other byte kept; absolute urls left alone', async () => {
    const xml = gate(ORIGINAL);
    const one = `${PAGE}?t=a.b.c&amp;au=${encodeURIComponent('a/one.html?x=1&y=2')}`;
    const two = `${PAGE}?t=a.b.c&amp;au=two.html`;
    expect(xml).toBe(
      ORIGINAL.replace(/<url>\s+a\/one[^<]+<\/url>/, `<url>${one}</url>`).replace(
        '<url><![CDATA[two.html]]></url>',
        `<url>${two}</url>`,
      ),
    );
    expect(xml.startsWith('\uFEFF')).toBe(true);
    await validateXml({ xml: xml.slice(1) }, 'cmi5');
  });

  it('a course whose one AU launches the live entry gets no au param; any other url keeps it', () => {
    const single = (url: string) =>
      `<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"><course id="urn:c"/><au id="urn:a"><url>${url}</url></au></courseStructure>`;
    expect(gate(single('index.html'), 'index.html')).toContain(`<url>${PAGE}?t=a.b.c</url>`);
    expect(gate(single('index.html?p=1'), 'index.html')).toContain(
      `<url>${PAGE}?t=a.b.c&amp;au=index.html%3Fp%3D1</url>`,
    );
    expect(gate(single('other.html'), 'index.html')).toContain('&amp;au=other.html</url>');
  });

  it('refuses a document that is not XML, or declares entities', () => {
    expect(() => gate('<courseStructure><au><url>x</au>')).toThrow(/cmi5.xml/);
    expect(() =>
      gate('<!DOCTYPE c [<!ENTITY x "y">]><courseStructure><au><url>&x;</url></au></courseStructure>'),
    ).toThrow(/cmi5.xml/);
  });
});
