/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_vfnic_vf: RSS. The VF writes its own key, RETA and hash types
 * (RSS_*, hardware.md section 4) and tells the PF what it did
 * (SET_RSS_KEY, SET_RSS_LUT, SET_RSS_HASH), which records them; the
 * adapter keeps a copy, which dev_start applies again.
 */
#include <errno.h>
#include <string.h>

#include <ethdev_driver.h>

#include "vfnic_mbx.h"
#include "vfnic_vf.h"

static const uint8_t vfnic_default_rss_key[VFNIC_RSS_KEY_SIZE] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
	0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
	0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
	0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

void
vfnic_vf_rss_init(struct vfnic_vf_adapter *ad)
{
	memcpy(ad->rss_key, vfnic_default_rss_key, sizeof(ad->rss_key));
}

static uint32_t
rss_hf_to_hw(uint64_t hf)
{
	uint32_t h = 0;

	if (hf & (RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_FRAG_IPV4 |
		  RTE_ETH_RSS_NONFRAG_IPV4_OTHER))
		h |= VFNIC_RSS_IPV4;
	if (hf & RTE_ETH_RSS_NONFRAG_IPV4_TCP)
		h |= VFNIC_RSS_TCP4;
	if (hf & RTE_ETH_RSS_NONFRAG_IPV4_UDP)
		h |= VFNIC_RSS_UDP4;
	if (hf & (RTE_ETH_RSS_IPV6 | RTE_ETH_RSS_FRAG_IPV6 |
		  RTE_ETH_RSS_NONFRAG_IPV6_OTHER))
		h |= VFNIC_RSS_IPV6;
	if (hf & RTE_ETH_RSS_NONFRAG_IPV6_TCP)
		h |= VFNIC_RSS_TCP6;
	if (hf & RTE_ETH_RSS_NONFRAG_IPV6_UDP)
		h |= VFNIC_RSS_UDP6;
	return h;
}

static uint64_t
rss_hw_to_hf(uint32_t h)
{
	return (h & VFNIC_RSS_IPV4 ? RTE_ETH_RSS_IPV4 : 0) |
	       (h & VFNIC_RSS_TCP4 ? RTE_ETH_RSS_NONFRAG_IPV4_TCP : 0) |
	       (h & VFNIC_RSS_UDP4 ? RTE_ETH_RSS_NONFRAG_IPV4_UDP : 0) |
	       (h & VFNIC_RSS_IPV6 ? RTE_ETH_RSS_IPV6 : 0) |
	       (h & VFNIC_RSS_TCP6 ? RTE_ETH_RSS_NONFRAG_IPV6_TCP : 0) |
	       (h & VFNIC_RSS_UDP6 ? RTE_ETH_RSS_NONFRAG_IPV6_UDP : 0);
}

/* The VF's own RSS registers, then the PF is told (SET_RSS_*). */
int
vfnic_vf_rss_apply(struct vfnic_vf_adapter *ad)
{
	unsigned int i;

	if (!(ad->res.caps & VFNIC_MBX_CAP_RSS))
		return ad->rss_hash ? -ENOTSUP : 0;
	for (i = 0; i < VFNIC_RSS_KEY_SIZE; i += 4)
		vfnic_wr32(ad, VFNIC_RSS_KEY + i, ad->rss_key[i] |
			   ad->rss_key[i + 1] << 8 | ad->rss_key[i + 2] << 16 |
			   (uint32_t)ad->rss_key[i + 3] << 24);
	for (i = 0; i < VFNIC_RSS_RETA_SIZE; i += 4)
		vfnic_wr32(ad, VFNIC_RSS_RETA + i, ad->rss_lut[i] |
			   ad->rss_lut[i + 1] << 8 | ad->rss_lut[i + 2] << 16 |
			   (uint32_t)ad->rss_lut[i + 3] << 24);
	vfnic_wr32(ad, VFNIC_RSS_CTRL, ad->rss_hash);
	return vfnic_vf_mbx_rss(ad);
}

/* dev_configure's part: the hash types, key and an even RETA over nq. */
void
vfnic_vf_rss_configure(struct rte_eth_dev *dev, uint16_t nq)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	struct rte_eth_conf *conf = &dev->data->dev_conf;
	unsigned int i;

	if (conf->rxmode.mq_mode & RTE_ETH_MQ_RX_RSS_FLAG)
		conf->rxmode.offloads |= RTE_ETH_RX_OFFLOAD_RSS_HASH;
	ad->rss_hash = 0;
	if ((conf->rxmode.mq_mode & RTE_ETH_MQ_RX_RSS_FLAG) &&
	    (ad->res.caps & VFNIC_MBX_CAP_RSS)) {
		ad->rss_hash = rss_hf_to_hw(conf->rx_adv_conf.rss_conf.rss_hf);
		if (conf->rx_adv_conf.rss_conf.rss_key &&
		    conf->rx_adv_conf.rss_conf.rss_key_len == VFNIC_RSS_KEY_SIZE)
			memcpy(ad->rss_key, conf->rx_adv_conf.rss_conf.rss_key,
			       VFNIC_RSS_KEY_SIZE);
		for (i = 0; i < VFNIC_RSS_RETA_SIZE; i++)
			ad->rss_lut[i] = i % RTE_MAX(nq, 1);
	}
}

int
vfnic_vf_reta_update(struct rte_eth_dev *dev,
		     struct rte_eth_rss_reta_entry64 *reta, uint16_t size)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	uint8_t old[VFNIC_RSS_RETA_SIZE];
	uint16_t i;
	int err;

	if (size != VFNIC_RSS_RETA_SIZE)
		return -EINVAL;
	memcpy(old, ad->rss_lut, sizeof(old));
	for (i = 0; i < size; i++) {
		struct rte_eth_rss_reta_entry64 *e = &reta[i / RTE_ETH_RETA_GROUP_SIZE];

		if (e->mask & (1ULL << (i % RTE_ETH_RETA_GROUP_SIZE))) {
			if (e->reta[i % RTE_ETH_RETA_GROUP_SIZE] >= ad->num_qp)
				return -EINVAL;
			ad->rss_lut[i] = e->reta[i % RTE_ETH_RETA_GROUP_SIZE];
		}
	}
	err = vfnic_vf_rss_apply(ad);
	if (err)
		memcpy(ad->rss_lut, old, sizeof(old));
	return err;
}

int
vfnic_vf_reta_query(struct rte_eth_dev *dev,
		    struct rte_eth_rss_reta_entry64 *reta, uint16_t size)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	uint16_t i;

	if (size != VFNIC_RSS_RETA_SIZE)
		return -EINVAL;
	for (i = 0; i < size; i++) {
		struct rte_eth_rss_reta_entry64 *e = &reta[i / RTE_ETH_RETA_GROUP_SIZE];

		if (e->mask & (1ULL << (i % RTE_ETH_RETA_GROUP_SIZE)))
			e->reta[i % RTE_ETH_RETA_GROUP_SIZE] = ad->rss_lut[i];
	}
	return 0;
}

int
vfnic_vf_rss_hash_update(struct rte_eth_dev *dev,
			 struct rte_eth_rss_conf *conf)
{
	struct vfnic_vf_adapter *ad = AD(dev);

	if (conf->rss_key && conf->rss_key_len) {
		if (conf->rss_key_len != VFNIC_RSS_KEY_SIZE)
			return -EINVAL;
		memcpy(ad->rss_key, conf->rss_key, VFNIC_RSS_KEY_SIZE);
	}
	ad->rss_hash = rss_hf_to_hw(conf->rss_hf);
	return vfnic_vf_rss_apply(ad);
}

int
vfnic_vf_rss_hash_conf_get(struct rte_eth_dev *dev,
			   struct rte_eth_rss_conf *conf)
{
	struct vfnic_vf_adapter *ad = AD(dev);

	conf->rss_hf = rss_hw_to_hf(ad->rss_hash);
	if (conf->rss_key && conf->rss_key_len >= VFNIC_RSS_KEY_SIZE)
		memcpy(conf->rss_key, ad->rss_key, VFNIC_RSS_KEY_SIZE);
	conf->rss_key_len = VFNIC_RSS_KEY_SIZE;
	return 0;
}
