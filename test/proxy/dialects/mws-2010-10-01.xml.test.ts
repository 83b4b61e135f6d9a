// The MWS dialect's small XML reader, checked against fast-xml-parser (the sandbox's library) as the oracle, and on
// every way a document can be broken.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { XMLBuilder, XMLParser } from "fast-xml-parser";
import { readXml } from "../../../proxy/dialects/mws-2010-10-01/xml.ts";

const oracle = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) => name === "member" || name === "Error",
});
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_" });

const NS = 'xmlns="http://mws.amazonaws.com/FulfillmentOutboundShipment/2010-10-01/"';
const SAMPLE = `<?xml version="1.0"?>
<GetFulfillmentPreviewResponse ${NS}>
  <GetFulfillmentPreviewResult>
    <FulfillmentPreviews>
      <member><ShippingSpeedCategory>Standard</ShippingSpeedCategory><IsFulfillable>true</IsFulfillable></member>
    </FulfillmentPreviews>
  </GetFulfillmentPreviewResult>
  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
</GetFulfillmentPreviewResponse>`;

describe("readXml", () => {
  test("an MWS answer: elements, lists as arrays, attributes and the prolog left out", () => {
    assert.deepEqual(readXml(SAMPLE), {
      GetFulfillmentPreviewResponse: {
        GetFulfillmentPreviewResult: {
          FulfillmentPreviews: { member: [{ ShippingSpeedCategory: "Standard", IsFulfillable: "true" }] },
        },
        ResponseMetadata: { RequestId: "r-1" },
      },
    });
    const { "?xml": _, ...expected } = oracle.parse(SAMPLE);
    assert.deepEqual(readXml(SAMPLE), expected);
  });

  test("agrees with fast-xml-parser on any document its builder writes (property)", () => {
    const names = fc.constantFrom("member", "Error", "Name", "Value", "a", "B.c", "x-y");
    const text = fc.string({ unit: "grapheme", maxLength: 12 });
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: "small" }, text, tie("node")),
      node: fc.dictionary(names, fc.oneof(tie("tree"), fc.array(tie("tree"), { minLength: 1, maxLength: 3 })), {
        minKeys: 1,
        maxKeys: 4,
      }),
    }));
    fc.assert(
      fc.property(tree, (value) => {
        const document = builder.build({ Root: value });
        assert.deepEqual(readXml(document), oracle.parse(document), document);
      }),
      { numRuns: 300 },
    );
  });

  test("entities, character references, CDATA, comments, namespace prefixes and self-closing elements", () => {
    assert.deepEqual(
      readXml(
        `<!-- c --><ns:R xmlns:ns="u"><A>&lt;b&gt; &amp; &quot;q&quot; &apos;s&apos; &#26481;&#x4EAC; &#x1F600;</A><B><![CDATA[<raw> & ]]></B><C/><D a='1' b="2" /><!-- c --><ns:E>  padded  </ns:E></ns:R>`,
      ),
      { R: { A: `<b> & "q" 's' 東京 😀`, B: "<raw> &", C: "", D: "", E: "padded" } },
    );
    assert.deepEqual(readXml("<R><member>one</member></R>"), { R: { member: ["one"] } });
    assert.deepEqual(readXml("<R><N>1</N><N>2</N></R>"), { R: { N: ["1", "2"] } });
  });

  test("anything not well-formed is unreadable as a whole", () => {
    const broken = [
      "",
      "   ",
      "{}",
      "text",
      "<R>",
      "<R></S>",
      "<R><A></R></A>",
      "<R/><S/>",
      "<R/>trailing",
      "<R>a & b</R>",
      "<R>&nbsp;</R>",
      "<R>&#x110000;</R>",
      "<R>text<A>1</A></R>",
      '<!DOCTYPE R [<!ENTITY x "y">]><R>&x;</R>',
      "<R><!-- open </R>",
      "<R><![CDATA[open</R>",
      "<R a=1></R>",
      "< R></R>",
      `${"<A>".repeat(100)}${"</A>".repeat(100)}`,
    ];
    for (const document of broken) assert.equal(readXml(document), undefined, document);
  });

  test("an answer cut off anywhere is unreadable", () => {
    const trimmed = SAMPLE.trimEnd();
    for (let length = 0; length < trimmed.length; length++)
      assert.equal(readXml(trimmed.slice(0, length)), undefined, `cut at ${length}`);
  });
});
