// Certlens echo Worker: deploy it on a hostname with mTLS enabled, then run
//   certlens test https://<hostname>/ --identity client.p12 --ca <the CA you uploaded>
// It answers with the request's headers (lower-cased), the X-CERT-* headers of Cloudflare's
// mTLS learning path, and request.cf.tlsClientAuth itself, so every field can be compared.
//
// Unlike the sample in Cloudflare's documentation, it reads `certVerified`: the sample's
// `certVerify` does not exist, so its X-CERT-VERIFY is always dropped from the JSON.

export default {
  async fetch(request) {
    const tls = (request.cf && request.cf.tlsClientAuth) || {};
    const certificateHeaders = {
      'X-CERT-ISSUER-DN': tls.certIssuerDN,
      'X-CERT-SUBJECT-DN': tls.certSubjectDN,
      'X-CERT-ISSUER-DN-L': tls.certIssuerDNLegacy,
      'X-CERT-SUBJECT-DN-L': tls.certSubjectDNLegacy,
      'X-CERT-SERIAL': tls.certSerial,
      'X-CERT-FINGER': tls.certFingerprintSHA1,
      'X-CERT-VERIFY': tls.certVerified,
      'X-CERT-NOTBE': tls.certNotBefore,
      'X-CERT-NOTAF': tls.certNotAfter,
    };
    const headers = Object.fromEntries(request.headers);
    const body = { ...headers, ...certificateHeaders, tlsClientAuth: tls };
    return new Response(JSON.stringify(body, null, 2), {
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    });
  },
};
