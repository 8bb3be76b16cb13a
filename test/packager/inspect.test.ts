import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { inspectPackage, type PackagerError } from '../../packager/index.js';

const zipWith = (name: string, xml: string) =>
  zipSync({ [name]: strToU8(xml), 'a/b/page.html': strToU8('x') });

describe('inspectPackage on manifests written by other tools', () => {
  it('resolves xml:base on manifest, resources and resource, then item parameters', async () => {
    const xml = `<?xml version="1.0"?>
<manifest identifier="M" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adl="http://www.adlnet.org/xsd/adlcp_rootv1p2" xml:base="content/">
  <organizations default="o"><organization identifier="o"><title>Based &amp; nested</title>
    <item identifier="group"><title>Group</title>
      <item identifier="i1" identifierref="r1" parameters="?lesson=1"><title>One</title><adl:masteryscore>75</adl:masteryscore></item>
      <item identifier="i2" identifierref="r2" parameters="&amp;x=2#top" isvisible="false"><title>Two</title></item>
    </item>
  </organization></organizations>
  <resources xml:base="pages/">
    <resource identifier="r1" type="webcontent" adl:scormtype="sco" href="one.html?from=manifest" xml:base="unit1/"/>
    <resource identifier="r2" type="webcontent" adl:scormtype="asset" href="two.html"/>
  </resources>
</manifest>`;
    const info = await inspectPackage(zipWith('imsmanifest.xml', xml));
    expect(info).toMatchObject({ standard: 'scorm12', edition: null, title: 'Based & nested', scoCount: 1 });
    expect(info.launchables).toMatchObject([
      {
        kind: 'sco',
        id: 'i1',
        launchUrl: 'content/pages/unit1/one.html?from=manifest&lesson=1',
        masteryScore: 0.75,
      },
      { kind: 'asset', id: 'i2', launchUrl: 'content/pages/two.html?x=2#top' },
    ]);
    expect(info.organizations[0]!.items[0]!.children.map((c) => [c.identifier, c.isVisible])).toEqual([
      ['i1', true],
      ['i2', false],
    ]);
    expect(info.masteryScore).toBe(0.75);
  });

  it('infers SCORM 2004 4th edition from namespaces and 4th-edition features when schemaversion is missing', async () => {
    const xml = `<manifest identifier="M" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:a="http://www.adlnet.org/xsd/adlcp_v1p3">
  <organizations default="o"><organization identifier="o" a:sharedDataGlobalToSystem="false"><title>T</title>
    <item identifier="i" identifierref="r"><title>I</title></item></organization></organizations>
  <resources><resource identifier="r" type="webcontent" a:scormType="sco" href="a/b/page.html"/></resources>
</manifest>`;
    const info = await inspectPackage(zipWith('imsmanifest.xml', xml));
    expect(info).toMatchObject({ standard: 'scorm2004', edition: 4, scoCount: 1 });
    const third = await inspectPackage(
      zipWith('imsmanifest.xml', xml.replace(' a:sharedDataGlobalToSystem="false"', '')),
    );
    expect(third.edition).toBe(3);
    const second = await inspectPackage(
      zipWith(
        'imsmanifest.xml',
        xml.replace(
          '<organizations',
          '<metadata><schemaversion>CAM 1.3</schemaversion></metadata><organizations',
        ),
      ),
    );
    expect(second.edition).toBe(2);
  });

  it('reads cmi5 blocks, absolute AU URLs and launch parameters', async () => {
    const xml = `<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://ex.com/c"><title><langstring lang="en">C</langstring></title><description><langstring>d</langstring></description></course>
  <block id="https://ex.com/b"><title><langstring>B</langstring></title><description><langstring>d</langstring></description>
    <au id="https://ex.com/au1" moveOn="Passed" masteryScore="0.5"><title><langstring>A1</langstring></title><description><langstring>d</langstring></description><url>a/b/page.html</url><launchParameters>{"x":1}</launchParameters></au>
  </block>
  <au id="https://ex.com/au2"><title><langstring>A2</langstring></title><description><langstring>d</langstring></description><url>https://cdn.example.com/au2/index.html?v=1</url></au>
</courseStructure>`;
    const info = await inspectPackage(zipWith('cmi5.xml', xml));
    expect(info).toMatchObject({ standard: 'cmi5', title: 'C', scoCount: 2 });
    expect(info.launchables).toMatchObject([
      {
        kind: 'au',
        id: 'https://ex.com/au1',
        launchUrl: 'a/b/page.html',
        parameters: '{"x":1}',
        moveOn: 'Passed',
        masteryScore: 0.5,
      },
      {
        kind: 'au',
        id: 'https://ex.com/au2',
        launchUrl: 'https://cdn.example.com/au2/index.html?v=1',
        moveOn: 'NotApplicable',
      },
    ]);
    expect(info.organizations[0]!.items[0]).toMatchObject({ identifier: 'https://ex.com/b', title: 'B' });
  });

  it('refuses a zip without a manifest, and a manifest with a custom entity', async () => {
    const none = await inspectPackage(zipSync({ 'index.html': strToU8('x') })).catch((e: PackagerError) => e);
    expect((none as PackagerError).code).toBe('invalid_package');
    const entity = await inspectPackage(
      zipWith(
        'imsmanifest.xml',
        '<!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><manifest>&x;</manifest>',
      ),
    ).catch((e: PackagerError) => e);
    expect((entity as PackagerError).code).toBe('invalid_package');
    expect((entity as PackagerError).message).toMatch(/entity &x; is not allowed/);
  });
});

describe('inspectPackage on a zip of the course folder itself', () => {
  it('finds the manifest in the single top-level folder and prefixes launch URLs with it', async () => {
    const xml = `<manifest identifier="M" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <organizations default="o"><organization identifier="o"><title>Wrapped</title>
    <item identifier="i" identifierref="r"><title>I</title></item></organization></organizations>
  <resources><resource identifier="r" type="webcontent" adlcp:scormtype="sco" href="index.html"/></resources>
</manifest>`;
    const zip = zipSync({ 'my course/imsmanifest.xml': strToU8(xml), 'my course/index.html': strToU8('x') });
    const info = await inspectPackage(zip);
    expect(info.manifest).toBe('my course/imsmanifest.xml');
    // A file path, as the zip names it: the manifest writers encode it when they write a URL.
    expect(info.launchables.map((l) => l.launchUrl)).toEqual(['my course/index.html']);
  });
});
