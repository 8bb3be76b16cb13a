import { describe, expect, it } from 'vitest';
import { escapeAttr, escapeText, toXmlId } from '../../formats/xml/escape.js';
import { PackagerError, parseXml } from '../../packager/index.js';

describe('the manifest XML parser', () => {
  it('resolves namespaces, xml:base, predefined and numeric entities, CDATA', () => {
    const root = parseXml(`<?xml version="1.0"?>
      <!-- a comment -->
      <m xmlns="urn:cp" xmlns:a="urn:adl" xml:base="content/">
        <a:x a:type="sco" plain="&lt;&amp;&#233;&#x1F600;">t&apos;&quot;<![CDATA[<raw&>]]></a:x>
      </m>`);
    expect(root).toMatchObject({ local: 'm', ns: 'urn:cp' });
    expect(root.nsAttrs['{http://www.w3.org/XML/1998/namespace}base']).toBe('content/');
    const x = root.children[0]!;
    expect(x).toMatchObject({ local: 'x', ns: 'urn:adl', text: `t'"<raw&>` });
    expect(x.nsAttrs['{urn:adl}type']).toBe('sco');
    expect(x.attrs.plain).toBe('<&é😀');
  });

  it.each([
    ['<!DOCTYPE m [<!ENTITY e "boom">]><m>&e;</m>', /entity &e; is not allowed/],
    ['<m><a></m>', /unexpected <\/m>/],
    ['<m>', /never closed/],
    ['<m a="1" a="2"/>', /duplicate attribute/],
    ['<p:m/>', /undeclared prefix/],
    ['<m/><n/>', /more than one root/],
    [`${'<a>'.repeat(300)}${'</a>'.repeat(300)}`, /nested too deeply/],
  ])('refuses %s', (xml, message) => {
    expect(() => parseXml(xml)).toThrow(PackagerError);
    expect(() => parseXml(xml)).toThrow(message);
  });

  it('escapes every text and attribute so what is written reads back the same', () => {
    const nasty = `Tom & "Jerry" <'x'> ]]> \t\n é`;
    const root = parseXml(`<m a="${escapeAttr(nasty)}">${escapeText(nasty)}</m>`);
    expect(root.attrs.a).toBe(nasty);
    expect(root.text).toBe(nasty);
    expect(escapeText('a\u0001b\uFFFEc')).toBe('abc');
  });

  it('makes schema-valid identifiers out of anything', () => {
    expect(toXmlId('1st course/intro')).toBe('_1st_course_intro');
    expect(toXmlId('ok-id_1.2')).toBe('ok-id_1.2');
    expect(toXmlId('')).toBe('_');
  });
});
