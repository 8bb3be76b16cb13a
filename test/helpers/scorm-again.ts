/**
 * scorm-again's LMS-side APIs for tests. Its type declarations describe a default export while its ESM
 * build has only named ones, so the classes are taken from the namespace with the declared types.
 */
import type Scorm12Class from 'scorm-again/scorm12';
import * as scorm12 from 'scorm-again/scorm12';
import type Scorm2004Class from 'scorm-again/scorm2004';
import * as scorm2004 from 'scorm-again/scorm2004';

export const Scorm12API = (scorm12 as unknown as { Scorm12API: typeof Scorm12Class }).Scorm12API;
export type Scorm12API = InstanceType<typeof Scorm12API>;
export const Scorm2004API = (scorm2004 as unknown as { Scorm2004API: typeof Scorm2004Class }).Scorm2004API;
export type Scorm2004API = InstanceType<typeof Scorm2004API>;
