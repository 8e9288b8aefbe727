// OpenSSL for ecbridge: HMAC/SHA-256/random/constant-time compare (libcrypto) and TLS (libssl).
// Deprecated 1.x APIs are hidden so that only the OpenSSL 3 surface can be used.
#ifndef ECBRIDGE_COPENSSL_SHIM_H
#define ECBRIDGE_COPENSSL_SHIM_H
#define OPENSSL_API_COMPAT 30000
#define OPENSSL_NO_DEPRECATED 1
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <openssl/rand.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/pem.h>
#include <openssl/ec.h>
#include <openssl/x509v3.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <stdint.h>

// Macros that Swift cannot import.
static inline long ecb_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_min_proto_version(ctx, version);
}
static inline long ecb_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}
static inline long ecb_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}
// TLS server hardening (ecbridge listener): option bits are macros built from casts, so they come
// through these helpers.
static inline uint64_t ecb_SSL_OP_server_hardening(void) {
    return SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE;
}
static inline long ecb_SSL_MODE_nonblocking_writes(void) {
    return SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER;
}
static inline long ecb_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_max_proto_version(ctx, version);
}
static inline int ecb_TLS1_2_VERSION(void) { return TLS1_2_VERSION; }
static inline int ecb_TLS1_3_VERSION(void) { return TLS1_3_VERSION; }
static inline int ecb_SSL_FILETYPE_PEM(void) { return SSL_FILETYPE_PEM; }
static inline int ecb_SSL_TLSEXT_ERR_OK(void) { return SSL_TLSEXT_ERR_OK; }
static inline int ecb_SSL_TLSEXT_ERR_NOACK(void) { return SSL_TLSEXT_ERR_NOACK; }
// A P-256 key (EVP_EC_gen is a macro over a variadic function); used by tests to make certificates.
static inline EVP_PKEY *ecb_EVP_EC_gen_P256(void) { return EVP_EC_gen("P-256"); }

// HMAC-SHA256 with the key schedule done once. The one-shot HMAC() fetches the algorithm by name and
// derives the inner/outer pads on every call (tens of thousands of instructions for a 1 KB webhook);
// a keyed template is copied per message instead. Returns NULL on failure (the caller falls back to HMAC()).
static inline EVP_MAC_CTX *ecb_hmac_sha256_keyed(const unsigned char *key, size_t key_length) {
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (mac == NULL) return NULL;
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac);  // the context keeps its own reference
    if (ctx == NULL) return NULL;
    char digest[] = "SHA256";
    OSSL_PARAM params[2];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0);
    params[1] = OSSL_PARAM_construct_end();
    // `key` is never NULL here: a NULL key would mean "keep the previous key" to EVP_MAC_init.
    if (EVP_MAC_init(ctx, key, key_length, params) != 1) {
        EVP_MAC_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

// MAC of one message under a template from ecb_hmac_sha256_keyed; the template is only read, so one
// template may serve several threads. `out` has room for 32 bytes. Returns 1 on success.
static inline int ecb_hmac_sha256_with(const EVP_MAC_CTX *keyed, const unsigned char *message,
                                       size_t message_length, unsigned char *out) {
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_dup(keyed);
    if (ctx == NULL) return 0;
    size_t written = 0;
    int ok = EVP_MAC_update(ctx, message, message_length) == 1
          && EVP_MAC_final(ctx, out, &written, 32) == 1
          && written == 32;
    EVP_MAC_CTX_free(ctx);
    return ok;
}
#endif
