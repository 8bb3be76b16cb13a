import { strToU8 } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.js';
import { type LmsSession, lmsClose, lmsInitialized, lmsLaunch } from '../helpers/manifest-lms/lms-driver.js';
import { type ManifestLms, startManifestLms } from '../helpers/manifest-lms/lms-server.js';

/**
 * The fidelity harness's LMS judged on its own: hand-written manifests whose launch URLs and run-time
 * initial values are worked out from the CAM and RTE books, not from any Coursegate code.
 */
const b = useBrowser();
let lms: ManifestLms;

beforeAll(async () => {
  lms = await startManifestLms({ gatekeeper: () => false });
});
afterAll(async () => {
  await lms?.close();
});

const SCORM2004 = `<?xml version="1.0"?>
<manifest identifier="m" xml:base="content/" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="b">
    <organization identifier="a"><title>A</title><item identifier="wrong" identifierref="r1"><title>no</title></item></organization>
    <organization identifier="b"><title>B</title>
      <item identifier="i1" identifierref="r1" parameters="?&amp;y=2">
        <title>One</title>
        <adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.75"/>
        <adlcp:timeLimitAction>exit,message</adlcp:timeLimitAction>
        <adlcp:dataFromLMS>hello=1</adlcp:dataFromLMS>
        <adlcp:data><adlcp:map targetID="notes" writeSharedData="false"/></adlcp:data>
        <imsss:sequencing>
          <imsss:limitConditions attemptAbsoluteDurationLimit="PT1H"/>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="P" satisfiedByMeasure="true"><imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure></imsss:primaryObjective>
            <imsss:objective objectiveID="S1"/><imsss:objective objectiveID="S2"/>
          </imsss:objectives>
        </imsss:sequencing>
      </item>
      <item identifier="i2" identifierref="r2" parameters="#frag">
        <title>Two</title>
        <adlcp:completionThreshold>0.4</adlcp:completionThreshold>
        <imsss:sequencing IDRef="shared"/>
      </item>
      <item identifier="i3" identifierref="r1" parameters="#ignored"><title>Three</title></item>
    </organization>
  </organizations>
  <resources xml:base="sco/">
    <resource identifier="r1" type="webcontent" adlcp:scormType="sco" xml:base="a/" href="launch.html?x=1#top"/>
    <resource identifier="r2" type="webcontent" adlcp:scormType="asset" href="b%20c/page.html"/>
  </resources>
  <imsss:sequencingCollection>
    <imsss:sequencing ID="shared"><imsss:objectives><imsss:primaryObjective/><imsss:objective objectiveID="G"/></imsss:objectives></imsss:sequencing>
  </imsss:sequencingCollection>
</manifest>`;

const SCORM12 = `<?xml version="1.0"?>
<manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="o"><organization identifier="o"><title>O</title>
    <item identifier="i1" identifierref="r1" parameters="k=v">
      <title>One</title>
      <adlcp:masteryscore>80</adlcp:masteryscore>
      <adlcp:datafromlms>from the LMS</adlcp:datafromlms>
      <adlcp:maxtimeallowed>00:30:00</adlcp:maxtimeallowed>
      <adlcp:timelimitaction>exit,no message</adlcp:timelimitaction>
    </item>
  </organization></organizations>
  <resources><resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="sco.html"/></resources>
</manifest>`;

type Reader = {
  manifestLms: {
    readManifest(
      root: string,
      learner: unknown,
    ): Promise<{ standard: string; itemIds: string[]; items: unknown[] }>;
  };
};

async function read(page: Page, root: string) {
  await page.goto(lms.lmsUrl);
  return page.evaluate(
    (r) => (window as unknown as Reader).manifestLms.readManifest(r, { id: 'l', name: 'L' }),
    root,
  );
}

/** Launches item `itemIndex` with the probe SCO in its place and returns what the LMS recorded. */
async function probe(page: Page, root: string, itemIndex: number): Promise<LmsSession> {
  await lmsLaunch(page, lms.lmsUrl, { packageRoot: root, itemIndex, frameUrl: lms.probeUrl });
  await lmsInitialized(page);
  return lmsClose(page);
}

describe("the fidelity harness's LMS reads the package it is given", () => {
  it('SCORM 2004: default organization, xml:base chain, item parameters, seeds from sequencing and adlcp', async () => {
    const root = lms.importPackage('reader-2004', { 'imsmanifest.xml': strToU8(SCORM2004) });
    const page = await b.page();
    const m = await read(page, root);
    expect(m.standard).toBe('scorm2004');
    expect(m.itemIds).toEqual(['i1', 'i2', 'i3']);
    expect(m.items).toMatchObject([
      { identifier: 'i1', scormType: 'sco', launchUrl: `${root}content/sco/a/launch.html?x=1&y=2#top` },
      { identifier: 'i2', scormType: 'asset', launchUrl: `${root}content/sco/b%20c/page.html#frag` },
      // A '#' parameter is dropped when the href already has a fragment.
      { identifier: 'i3', launchUrl: `${root}content/sco/a/launch.html?x=1#top` },
    ]);
    const first = await probe(page, root, 0);
    expect(first.record).toMatchObject({
      'cmi.entry': 'ab-initio',
      'cmi.learner_id': 'learner-1',
      'cmi.objectives.0.id': 'P',
      'cmi.objectives.1.id': 'S1',
      'cmi.objectives.2.id': 'S2',
      'cmi.scaled_passing_score': '0.6',
      'cmi.completion_threshold': '0.75',
      'cmi.launch_data': 'hello=1',
      'cmi.time_limit_action': 'exit,message',
      'cmi.max_time_allowed': 'PT1H',
    });
    expect(first.record['cmi.objectives.3.id']).toBeUndefined();
    // The second item takes its objectives from the collection its IDRef names; its primary has no ID.
    const second = await probe(page, root, 1);
    expect(second.record).toMatchObject({ 'cmi.objectives.0.id': 'G', 'cmi.completion_threshold': '0.4' });
    expect(second.record['cmi.objectives.1.id']).toBeUndefined();
    expect(second.record['cmi.scaled_passing_score']).toBe('');
  });

  it('SCORM 1.2: parameters, mastery score, launch data and time limits', async () => {
    const root = lms.importPackage('reader-12', { 'imsmanifest.xml': strToU8(SCORM12) });
    const page = await b.page();
    const m = await read(page, root);
    expect(m.standard).toBe('scorm12');
    expect(m.items).toMatchObject([{ identifier: 'i1', scormType: 'sco', launchUrl: `${root}sco.html?k=v` }]);
    const s = await probe(page, root, 0);
    expect(s.record).toMatchObject({
      'cmi.core.entry': 'ab-initio',
      'cmi.core.student_id': 'learner-1',
      'cmi.student_data.mastery_score': '80',
      'cmi.launch_data': 'from the LMS',
      'cmi.student_data.max_time_allowed': '00:30:00',
      'cmi.student_data.time_limit_action': 'exit,no message',
    });
    expect(s.calls.map((c) => [c.call[0], c.code])).toEqual([
      ['LMSInitialize', '0'],
      ['LMSFinish', '0'],
    ]);
  });
});
