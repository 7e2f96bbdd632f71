// Sign RS256/384/512 signing inputs with the browser's own RSA, for the
// Python bridge to check and put in its tokens (ExternalSignatures in
// localjwt/algorithms.py).
//
// PKCS #1 v1.5 signatures are deterministic (RFC 8017, section 8.2), so these
// are the bytes Python would make, only ~15x faster than Python's RSA in
// WebAssembly. Python checks each one against the public key before using it,
// and signs by itself whenever this is missing or fails.
//
// A key arrives once, as PKCS #8, and is kept only as a non-extractable
// CryptoKey per key and hash, until Clear key calls forget().

"use strict";

window.localjwtWebCrypto = (() => {
  const ALGORITHM = "RSASSA-PKCS1-v1_5";
  const encoder = new TextEncoder();
  // "keyRef hash" -> Promise of a CryptoKey.
  const keys = new Map();

  function cryptoKey(request, hash) {
    const id = `${request.key_ref} ${hash}`;
    if (!keys.has(id)) {
      if (!request.pkcs8) {
        throw new Error("the page has no copy of this key");
      }
      const imported = crypto.subtle.importKey(
        "pkcs8",
        Uint8Array.fromBase64(request.pkcs8),
        { name: ALGORITHM, hash },
        false,
        ["sign"],
      );
      // A refused key (a size WebCrypto does not take) is not kept.
      imported.catch(() => keys.delete(id));
      keys.set(id, imported);
    }
    return keys.get(id);
  }

  // Signatures, base64url, keyed by signing input.
  async function sign(request) {
    const signatures = {};
    for (const { input, hash } of request.inputs) {
      const key = await cryptoKey(request, hash);
      const signature = await crypto.subtle.sign(
        ALGORITHM,
        key,
        encoder.encode(input),
      );
      signatures[input] = new Uint8Array(signature).toBase64({
        alphabet: "base64url",
        omitPadding: true,
      });
    }
    return signatures;
  }

  return Object.freeze({
    sign,
    known: () => [...keys.keys()],
    forget: () => keys.clear(),
  });
})();
