// Small wrappers for process APIs Swift cannot reach: GNU-only declarations and variadic calls.
#define _GNU_SOURCE
#include "CProcessShims.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

short vault_spawn_flag_setsid(void) {
    return POSIX_SPAWN_SETSID;
}

int vault_spawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

int vault_spawn_add_closefrom(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}

int vault_pipe_cloexec(int ends[2], int nonblocking) {
    return pipe2(ends, O_CLOEXEC | (nonblocking ? O_NONBLOCK : 0));
}

int vault_become_child_subreaper(void) {
    return prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0UL, 0UL, 0UL);
}

int vault_is_child_subreaper(void) {
    int flag = 0;
    if (prctl(PR_GET_CHILD_SUBREAPER, (unsigned long)&flag, 0UL, 0UL, 0UL) != 0) {
        return -1;
    }
    return flag != 0 ? 1 : 0;
}

int vault_pidfd_open(pid_t pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0U);
}

int vault_pidfd_send_signal(int pidfd, int signal) {
    return (int)syscall(SYS_pidfd_send_signal, pidfd, signal, NULL, 0U);
}

int vault_set_process_limit(pid_t pid, int resource, unsigned long long soft, unsigned long long hard) {
    struct rlimit limit = { .rlim_cur = (rlim_t)soft, .rlim_max = (rlim_t)hard };
    return prlimit(pid, (__rlimit_resource_t)resource, &limit, NULL);
}

int vault_get_hard_limit(int resource, unsigned long long *hard) {
    struct rlimit limit;
    if (prlimit(0, (__rlimit_resource_t)resource, NULL, &limit) != 0) {
        return -1;
    }
    *hard = (unsigned long long)limit.rlim_max;
    return 0;
}

int vault_resource_processes(void) {
    return RLIMIT_NPROC;
}
