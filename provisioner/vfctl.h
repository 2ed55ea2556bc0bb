/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libvfctl: create, configure, bind and assign SR-IOV VFs (provisioner/).
 *
 * Every function that can fail returns 0 or a positive count on success and
 * -1 on failure, with a message naming the object and the cause in ctx->err.
 * PFs are named by interface name or PCI address, VFs by PF and index; BDFs
 * and IOMMU groups are derived at run time from sysfs.
 */
#ifndef VFCTL_H
#define VFCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <limits.h>
#include <sys/types.h>

#define VFCTL_BDF_LEN 16
#define VFCTL_NAME_LEN 64
#define VFCTL_DEV_LEN 64 /* /dev/vfio/devices/vfioN */
#define VFCTL_ERR_LEN 1024
#define VFCTL_MAX_VFS 256

struct nl_sock;
struct rtnl_link;
struct nl_vf_rate;

struct vfctl_ctx {
	char sysfs_root[PATH_MAX]; /* "" for the real tree */
	char proc_root[PATH_MAX]; /* "/proc" */
	char state_dir[PATH_MAX]; /* "/var/lib/vfstack" */
	int timeout_ms; /* readiness waits */
	bool force;
	bool dry_run;
	bool no_netlink; /* fake sysfs: no kernel peer */
	bool verbose;
	struct nl_sock *nl;
	char err[VFCTL_ERR_LEN];
};

/* which members of struct vfctl_attrs are meaningful */
enum {
	VA_MAC = 1u << 0,
	VA_VLAN = 1u << 1, /* vlan, qos and proto together */
	VA_RATE = 1u << 2,
	VA_SPOOFCHK = 1u << 3,
	VA_TRUST = 1u << 4,
	VA_STATE = 1u << 5,
	VA_ALL = (1u << 6) - 1,
};

enum vfctl_link_state {
	VF_STATE_AUTO = 0,
	VF_STATE_ENABLE = 1,
	VF_STATE_DISABLE = 2
};

struct vfctl_attrs {
	unsigned int mask;
	uint8_t mac[6];
	unsigned int vlan; /* 0: none */
	unsigned int qos;
	uint16_t proto; /* ETH_P_8021Q or ETH_P_8021AD, host order */
	unsigned int rate; /* max_tx_rate, Mbit/s, 0: unlimited */
	bool spoofchk;
	bool trust;
	unsigned int state; /* enum vfctl_link_state */
};

struct vfctl_pf {
	char bdf[VFCTL_BDF_LEN];
	char ifname[VFCTL_NAME_LEN]; /* "" if it has no netdev */
	int ifindex;
	int total_vfs;
	int num_vfs;
	int autoprobe; /* sriov_drivers_autoprobe, -1 if absent */
};

struct vfctl_holder {
	pid_t pid;
	char comm[VFCTL_NAME_LEN];
	char dev[VFCTL_DEV_LEN]; /* what it holds open: /dev/vfio/<group> or the VF's cdev */
};

struct vfctl_vf {
	int index;
	char bdf[VFCTL_BDF_LEN];
	char driver[VFCTL_NAME_LEN]; /* "" if unbound */
	int group; /* IOMMU group, -1 if none */
	struct vfctl_holder holder; /* pid 0 if nobody holds its group or VFIO device open */
	char vm[VFCTL_NAME_LEN]; /* from the state file, "" if not assigned */
	struct vfctl_attrs attrs; /* mask 0 if netlink is unavailable */
};

/* libvf_util.c */
void vfctl_ctx_init(struct vfctl_ctx *ctx);
void vfctl_ctx_fini(struct vfctl_ctx *ctx);
int vfctl_error(struct vfctl_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vfctl_log(struct vfctl_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vfctl_path(struct vfctl_ctx *ctx, char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int vfctl_read_str(const char *path, char *buf, size_t len);
int vfctl_read_int(const char *path, int *val);
int vfctl_write_str(const char *path, const char *val);
int vfctl_link_base(const char *path, char *buf, size_t len);
bool vfctl_is_bdf(const char *s);
int vfctl_parse_mac(const char *s, uint8_t mac[6]);
void vfctl_format_mac(const uint8_t mac[6], char *buf, size_t len);
long long vfctl_now_ms(void);
void vfctl_sleep_ms(int ms);

/* libvf_sysfs.c: PFs and VFs in sysfs */
int vfctl_pf_lookup(struct vfctl_ctx *ctx, const char *name, struct vfctl_pf *pf);
int vfctl_pf_list(struct vfctl_ctx *ctx, struct vfctl_pf **pfs);
int vfctl_vf_lookup(struct vfctl_ctx *ctx, const struct vfctl_pf *pf, int index,
		    struct vfctl_vf *vf);
int vfctl_set_autoprobe(struct vfctl_ctx *ctx, struct vfctl_pf *pf, bool on);

/* libvf_sriov.c: sriov_numvfs with in-use checks and readiness waits */
int vfctl_vf_in_use(struct vfctl_ctx *ctx, const struct vfctl_pf *pf, int index, char *why,
		    size_t len);
int vfctl_set_numvfs(struct vfctl_ctx *ctx, struct vfctl_pf *pf, int n);
int vfctl_wait_ready(struct vfctl_ctx *ctx, struct vfctl_pf *pf, int n);

/* libvf_usage.c: who holds a VF */
int vfctl_find_holder(struct vfctl_ctx *ctx, const char *bdf, int group, struct vfctl_holder *h);

/* libvf_bind.c: drivers */
int vfctl_group_viable(struct vfctl_ctx *ctx, const struct vfctl_vf *vf);
int vfctl_driver_check(struct vfctl_ctx *ctx, const char *driver);
int vfctl_bind(struct vfctl_ctx *ctx, const struct vfctl_pf *pf, int index, const char *driver);

/* libvf_netlink.c: per-VF attributes over rtnetlink (libnl-route-3) */
int vfctl_nl_get(struct vfctl_ctx *ctx, const struct vfctl_pf *pf, int index,
		 struct vfctl_attrs *a);
int vfctl_nl_vfs_ready(struct vfctl_ctx *ctx, const struct vfctl_pf *pf, int n);
int vfctl_nl_set(struct vfctl_ctx *ctx, const struct vfctl_pf *pf, int index,
		 const struct vfctl_attrs *a);
void vfctl_nl_rate(struct rtnl_link *orig, int index, unsigned int max, struct nl_vf_rate *rate);
int vfctl_attrs_diff(const struct vfctl_attrs *want, const struct vfctl_attrs *have);
void vfctl_attrs_describe(const struct vfctl_attrs *a, unsigned int mask, char *buf, size_t len);
const char *vfctl_state_name(unsigned int s);
int vfctl_attr_parse(struct vfctl_ctx *ctx, struct vfctl_attrs *a, const char *key, const char *val,
		     const char *what);
int vfctl_set_parse(struct vfctl_ctx *ctx, const struct vfctl_attrs *have, int argc,
		    char *const *argv, const char *what, struct vfctl_attrs *want);

/* libvf_state.c: /var/lib/vfstack, its lock and the VM assignments */
int vfctl_state_lock(struct vfctl_ctx *ctx);
void vfctl_state_unlock(struct vfctl_ctx *ctx, int fd);
struct json_t;
struct json_t *vfctl_state_load(struct vfctl_ctx *ctx);
int vfctl_state_save(struct vfctl_ctx *ctx, struct json_t *state);
const char *vfctl_state_vm(struct json_t *state, const char *pf_bdf, const char *pf_ifname,
			   int index);

#endif
