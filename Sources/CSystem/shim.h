// Linux-only system calls and constants that Glibc does not export to Swift (epoll, eventfd, timerfd),
// plus a few macro-valued constants. On other platforms the Linux parts compile away.
#ifndef ECBRIDGE_CSYSTEM_SHIM_H
#define ECBRIDGE_CSYSTEM_SHIM_H
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>

#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/resource.h>

static inline uint32_t ecb_EPOLLIN(void) { return EPOLLIN; }
static inline uint32_t ecb_EPOLLOUT(void) { return EPOLLOUT; }
static inline uint32_t ecb_EPOLLERR(void) { return EPOLLERR; }
static inline uint32_t ecb_EPOLLHUP(void) { return EPOLLHUP; }
static inline uint32_t ecb_EPOLLRDHUP(void) { return EPOLLRDHUP; }
static inline uint32_t ecb_EPOLLET(void) { return EPOLLET; }
static inline int ecb_EFD_NONBLOCK(void) { return EFD_NONBLOCK; }
static inline int ecb_EFD_CLOEXEC(void) { return EFD_CLOEXEC; }
static inline int ecb_SOCK_NONBLOCK(void) { return SOCK_NONBLOCK; }
static inline int ecb_SOCK_CLOEXEC(void) { return SOCK_CLOEXEC; }

/// accept4(2) is only declared under _GNU_SOURCE; declare it here so Swift can accept non-blocking sockets
/// in one call.
int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);
static inline int ecb_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags) {
    return accept4(fd, address, length, flags);
}

/// Names the calling thread (what `top -H` and /proc/<pid>/task/<tid>/comm show); Linux keeps at most
/// 15 bytes and refuses longer names, so callers cut them first. pthread_setname_np is only declared
/// under _GNU_SOURCE, like accept4.
int pthread_setname_np(pthread_t thread, const char *name);
static inline int ecb_set_current_thread_name(const char *name) {
    return pthread_setname_np(pthread_self(), name);
}

/// The calling thread's niceness (Linux niceness is per thread), or -1 with errno set.
static inline int ecb_thread_niceness(pid_t tid) {
    errno = 0;
    return getpriority(PRIO_PROCESS, (id_t)tid);
}

/// Lowers the calling thread's priority by `delta`, up to 19; returns 0 or -1.
static inline int ecb_renice_current_thread(int delta) {
    pid_t tid = (pid_t)syscall(SYS_gettid);
    int current = ecb_thread_niceness(tid);
    if (current == -1 && errno != 0) return -1;
    int wanted = current + delta > 19 ? 19 : current + delta;
    return setpriority(PRIO_PROCESS, (id_t)tid, wanted);
}

/// The calling thread's niceness (tests), or 0 when it cannot be read.
static inline int ecb_current_thread_niceness(void) {
    int current = ecb_thread_niceness((pid_t)syscall(SYS_gettid));
    return (current == -1 && errno != 0) ? 0 : current;
}

/// CPUs this process may run on (its affinity mask, e.g. under `taskset` or a container's cpuset); at least 1.
/// The raw system call is used because the CPU_* macros need _GNU_SOURCE, which this header does not set.
static inline int ecb_available_cpus(void) {
    unsigned long mask[16] = {0};
    long copied = syscall(SYS_sched_getaffinity, 0, sizeof(mask), mask);
    if (copied <= 0) {
        long online = sysconf(_SC_NPROCESSORS_ONLN);
        return online > 0 ? (int)online : 1;
    }
    int count = 0;
    for (long i = 0; i < copied / (long)sizeof(unsigned long); i++) count += __builtin_popcountl(mask[i]);
    return count > 0 ? count : 1;
}

#endif

static inline int ecb_errno(void) { return errno; }
static inline int ecb_MSG_NOSIGNAL(void) {
#ifdef MSG_NOSIGNAL
    return MSG_NOSIGNAL;
#else
    return 0;
#endif
}
#endif
