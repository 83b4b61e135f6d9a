import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  canonicalQuery,
  encodeParameters,
  hmacBase64,
  percentEncode,
  signature,
  signedHost,
  signParameters,
  stringToSign,
  verifySignature,
} from "../../spec/mws-signature-v2.ts";

const KEY = "1234567890";

describe("Signature Version 2: the published vectors", () => {
  test("A: PA-API 2013 string to sign", async () => {
    const params = {
      Service: "AWSECommerceService",
      Operation: "ItemLookup",
      ResponseGroup: "Images,ItemAttributes,Offers,Reviews",
      Version: "2013-08-01",
      AWSAccessKeyId: "AKIAIOSFODNN7EXAMPLE",
      AssociateTag: "mytag-20",
      ItemId: "0679722769",
      Timestamp: "2014-08-18T12:00:00Z",
    };
    const input = { verb: "GET" as const, host: "webservices.amazon.com", path: "/onca/xml", params };
    assert.equal(
      stringToSign(input),
      "GET\nwebservices.amazon.com\n/onca/xml\nAWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&AssociateTag=mytag-20&ItemId=0679722769&Operation=ItemLookup&ResponseGroup=Images%2CItemAttributes%2COffers%2CReviews&Service=AWSECommerceService&Timestamp=2014-08-18T12%3A00%3A00Z&Version=2013-08-01",
    );
    const signed = await signature(input, KEY);
    assert.equal(signed, "j7bZM0LXZ9eXeZruTqWm2DIvDYVUU3wxPPpp+iXxzQc=");
    assert.equal(percentEncode(signed), "j7bZM0LXZ9eXeZruTqWm2DIvDYVUU3wxPPpp%2BiXxzQc%3D");
  });

  test("B: PA-API 2011 guide", async () => {
    const params = {
      Service: "AWSECommerceService",
      AWSAccessKeyId: "00000000000000000000",
      Operation: "ItemLookup",
      ItemId: "0679722769",
      ResponseGroup: "ItemAttributes,Offers,Images,Reviews",
      Version: "2009-01-06",
      Timestamp: "2009-01-01T12:00:00Z",
    };
    const signed = await signature({ verb: "GET", host: "webservices.amazon.com", path: "/onca/xml", params }, KEY);
    assert.equal(signed, "Nace+U3Az4OhN7tISqgs1vdLBHBEijWcBeCqL5xN9xg=");
  });

  test("C: a space is %20, never +", async () => {
    const params = {
      AWSAccessKeyId: "00000000000000000000",
      Actor: "Johnny Depp",
      AssociateTag: "mytag-20",
      Operation: "ItemSearch",
      ResponseGroup: "ItemAttributes,Offers,Images,Reviews,Variations",
      SearchIndex: "DVD",
      Service: "AWSECommerceService",
      Sort: "salesrank",
      Timestamp: "2009-01-01T12:00:00Z",
      Version: "2009-01-01",
    };
    assert.match(canonicalQuery(params), /&Actor=Johnny%20Depp&/);
    const signed = await signature({ verb: "GET", host: "ecs.amazonaws.co.uk", path: "/onca/xml", params }, KEY);
    assert.equal(signed, "TuM6E5L9u/uNqOX09ET03BXVmHLVFfJIna5cxXuHxiU=");
  });

  test("D: python-amazon-mws canonical query", () => {
    const params = {
      AWSAccessKeyId: "MY_ACCESS_KEY",
      Markets: "MY_ACCOUNT_ID",
      SignatureVersion: "2",
      Timestamp: "2017-08-12T19:40:35Z",
      Version: "2017-01-01",
      SignatureMethod: "HmacSHA256",
    };
    assert.equal(
      canonicalQuery(params),
      "AWSAccessKeyId=MY_ACCESS_KEY&Markets=MY_ACCOUNT_ID&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2017-08-12T19%3A40%3A35Z&Version=2017-01-01",
    );
  });
});

describe("Signature Version 2: encoding, order and edge cases", () => {
  test("RFC 3986: unreserved characters stay, everything else is upper-case %XY of the UTF-8 bytes", () => {
    assert.equal(percentEncode("AZaz09-_.~"), "AZaz09-_.~");
    assert.equal(percentEncode(" +*/=&%"), "%20%2B%2A%2F%3D%26%25");
    assert.equal(percentEncode("é"), "%C3%A9");
    assert.equal(percentEncode("東京"), "%E6%9D%B1%E4%BA%AC");
    assert.equal(percentEncode("😀"), "%F0%9F%98%80");
    assert.equal(percentEncode(""), "");
  });

  test("percent-encoding agrees with encodeURIComponent plus the characters it leaves alone (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (value) => {
        const reference = encodeURIComponent(value).replace(
          /[!'()*]/g,
          (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
        );
        assert.equal(percentEncode(value), reference);
      }),
    );
  });

  test("names sort by byte order: upper case before lower case; Signature is left out; empty values keep =", () => {
    assert.equal(canonicalQuery({ b: "1", a: "2", B: "3", Signature: "x", Empty: "" }), "B=3&Empty=&a=2&b=1");
    assert.equal(
      canonicalQuery({ "Items.member.10.Quantity": "1", "Items.member.2.Quantity": "2" }),
      "Items.member.10.Quantity=1&Items.member.2.Quantity=2",
    );
  });

  test("the host is lower-cased and loses only a standard port", () => {
    assert.equal(signedHost("MWS.AmazonServices.com:443"), "mws.amazonservices.com");
    assert.equal(signedHost("127.0.0.1:80"), "127.0.0.1");
    assert.equal(signedHost("127.0.0.1:8788"), "127.0.0.1:8788");
  });

  test("MWS shape: POST, the section path, no trailing newline", () => {
    const text = stringToSign({
      host: "mws.amazonservices.com",
      path: "/FulfillmentOutboundShipment/2010-10-01",
      params: { Action: "GetServiceStatus", Timestamp: "2009-08-20T01:10:27.607Z" },
    });
    assert.equal(
      text,
      "POST\nmws.amazonservices.com\n/FulfillmentOutboundShipment/2010-10-01\nAction=GetServiceStatus&Timestamp=2009-08-20T01%3A10%3A27.607Z",
    );
  });

  test("HmacSHA256 and HmacSHA1 match node:crypto for any key and text (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1 }), fc.string(), async (key, text) => {
        assert.equal(
          await hmacBase64(key, text, "HmacSHA256"),
          createHmac("sha256", key).update(text).digest("base64"),
        );
        assert.equal(await hmacBase64(key, text, "HmacSHA1"), createHmac("sha1", key).update(text).digest("base64"));
      }),
      { numRuns: 50 },
    );
  });

  test("signParameters adds the authentication parameters and a Signature that verifies; any change breaks it", async () => {
    const request = {
      host: "mws.amazonservices.jp",
      path: "/FulfillmentOutboundShipment/2010-10-01",
      params: { Action: "GetServiceStatus", SellerId: "A1SELLER", Signature: "stale" },
      accessKeyId: "AKIAEXAMPLE",
      secretKey: "secret",
      timestamp: "2026-12-01T10:00:00Z",
      version: "2010-10-01",
    };
    for (const method of ["HmacSHA256", "HmacSHA1"] as const) {
      const params = await signParameters({ ...request, signatureMethod: method });
      assert.deepEqual(
        Object.keys(params).sort(),
        [
          "AWSAccessKeyId",
          "Action",
          "SellerId",
          "Signature",
          "SignatureMethod",
          "SignatureVersion",
          "Timestamp",
          "Version",
        ].sort(),
      );
      assert.equal(params.SignatureMethod, method);
      assert.equal(params.SignatureVersion, "2");
      const expected = createHmac(method === "HmacSHA256" ? "sha256" : "sha1", "secret")
        .update(stringToSign({ host: request.host, path: request.path, params }))
        .digest("base64");
      assert.equal(params.Signature, expected);
      const input = { host: request.host, path: request.path, params };
      assert.equal(await verifySignature(input, "secret"), true);
      assert.equal(await verifySignature(input, "other secret"), false);
      assert.equal(await verifySignature({ ...input, params: { ...params, SellerId: "A2OTHER" } }, "secret"), false);
      assert.equal(await verifySignature({ ...input, host: "mws.amazonservices.com" }, "secret"), false);
      assert.equal(await verifySignature({ ...input, verb: "GET" }, "secret"), false);
      const { Signature: _, ...unsigned } = params;
      assert.equal(await verifySignature({ ...input, params: unsigned }, "secret"), false);
    }
  });

  test("an empty secret key and an unknown SignatureMethod are refused by name", async () => {
    await assert.rejects(hmacBase64("", "text", "HmacSHA256"), /secret key must not be empty/);
    await assert.rejects(
      signature({ host: "h", path: "/", params: { SignatureMethod: "HmacMD5" } }, "k"),
      /SignatureMethod must be HmacSHA256 or HmacSHA1, got HmacMD5/,
    );
  });

  test("encodeParameters round-trips through URLSearchParams, + and = in the Signature included", () => {
    const params = { Signature: "a+b/c=", "Address.Name": "山田 太郎", Empty: "" };
    const decoded = Object.fromEntries(new URLSearchParams(encodeParameters(params)));
    assert.deepEqual(decoded, params);
    assert.match(encodeParameters(params), /Signature=a%2Bb%2Fc%3D/);
  });
});
