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
#endif
