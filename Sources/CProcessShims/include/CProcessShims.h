#ifndef VAULT_CPROCESSSHIMS_H
#define VAULT_CPROCESSSHIMS_H

#include <spawn.h>
#include <sys/types.h>

/// The POSIX_SPAWN_SETSID flag (glibc >= 2.26), hidden from Swift behind _GNU_SOURCE.
short vault_spawn_flag_setsid(void);

/// posix_spawn_file_actions_addchdir_np (glibc >= 2.29).
int vault_spawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path);

/// posix_spawn_file_actions_addclosefrom_np (glibc >= 2.34): close every descriptor from `lowest` up.
int vault_spawn_add_closefrom(posix_spawn_file_actions_t *actions, int lowest);

/// pipe2(2) with O_CLOEXEC, plus O_NONBLOCK when `nonblocking` is not 0. 0 or -1/errno.
int vault_pipe_cloexec(int ends[2], int nonblocking);

/// prctl(PR_SET_CHILD_SUBREAPER, 1): orphaned descendants are reparented to this process. Returns 0 or -1/errno.
int vault_become_child_subreaper(void);

/// prctl(PR_GET_CHILD_SUBREAPER): 1 when this process is a child subreaper, 0 when not, -1 on error.
int vault_is_child_subreaper(void);

/// pidfd_open(2) through syscall(2), which Swift cannot call because it is variadic. -1/errno on failure.
int vault_pidfd_open(pid_t pid);

/// pidfd_send_signal(2) through syscall(2). 0 or -1/errno.
int vault_pidfd_send_signal(int pidfd, int signal);

/// prlimit(2) setting both the soft and the hard limit of `resource` for `pid`.
int vault_set_process_limit(pid_t pid, int resource, unsigned long long soft, unsigned long long hard);

/// prlimit(2) reading the hard limit of `resource` for this process; 0 on success.
int vault_get_hard_limit(int resource, unsigned long long *hard);

/// RLIMIT_NPROC, which glibc only declares under _GNU_SOURCE/_DEFAULT_SOURCE.
int vault_resource_processes(void);

#endif
