/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Forced into every file of the arm64 image (-include, Makefile): the image
 * is one static position-independent executable, so no symbol in it can be
 * preempted, yet without this gcc reaches every global defined in another
 * file through the GOT (a load of its address, then the load itself). With
 * every declaration hidden, it is one PC-relative access: on the path of
 * every interrupt a guest takes, 3 to 8 instructions (make bench).
 */
#ifndef BULKHEAD_VISIBILITY_H
#define BULKHEAD_VISIBILITY_H

#pragma GCC visibility push(hidden)

#endif
