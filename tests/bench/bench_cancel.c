/*
 * tests/bench/bench_cancel.c - how fast net_cancel() stops a transfer.
 *
 * Usage: bench_cancel BASE_URL KEY [ROUNDS]. Each round streams the fake
 * server's "slow" answer (a token every 50 ms), waits for the first text,
 * cancels, and times how long until the network thread reports the
 * transfer gone (the DONE event comes after the handle is removed and its
 * connection closed). Prints the median and the worst round.
 */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/net.h"

static int
cmp(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Wait for an event of the given type for id; -1 on timeout or a DONE
 * that came too early. */
static int
wait_for(struct net *n, uint64_t id, enum net_event_type type)
{
	struct pollfd		 pfd;
	struct net_event	*ev;
	int64_t			 until = clock_ms() + 10000;
	int			 r = -1, found = 0;

	pfd.fd = net_fd(n);
	pfd.events = POLLIN;
	while (!found && clock_ms() < until) {
		(void)poll(&pfd, 1, 100);
		while ((ev = net_next(n)) != NULL) {
			if (ev->request_id == id && ev->type == type) {
				found = 1;
				r = ev->type == NET_EV_DONE &&
				    ev->status != NET_STATUS_CANCELLED ? -1 : 0;
			} else if (ev->request_id == id &&
			    ev->type == NET_EV_DONE)
				found = 1;
			net_event_free(ev);
		}
	}
	return r;
}

int
main(int argc, char **argv)
{
	struct chat_message	 msg = { ROLE_USER, (char *)"hi" };
	struct chat_request	 req;
	struct net		*n;
	char			*cause = NULL;
	int64_t			*us, t0;
	int			 rounds, i, done = 0;
	uint64_t		 id;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_cancel BASE_URL KEY [ROUNDS]\n");
		return 2;
	}
	rounds = argc > 3 ? atoi(argv[3]) : 20;
	if (rounds < 1)
		rounds = 1;
	us = xcalloc((size_t)rounds, sizeof *us);
	if ((n = net_create(NULL, &cause)) == NULL) {
		fprintf(stderr, "bench_cancel: %s\n", cause);
		return 1;
	}
	memset(&req, 0, sizeof req);
	req.api = API_OPENAI;
	req.provider = "fake";
	req.base_url = argv[1];
	req.model = "slow";
	req.messages = &msg;
	req.nmessages = 1;
	req.key = argv[2];
	for (i = 0; i < rounds; i++) {
		id = net_submit(n, &req);
		if (wait_for(n, id, NET_EV_TEXT) != 0) {
			fprintf(stderr, "bench_cancel: no text in round %d\n",
			    i + 1);
			break;
		}
		t0 = clock_us();
		net_cancel(n, id);
		if (wait_for(n, id, NET_EV_DONE) != 0) {
			fprintf(stderr, "bench_cancel: no cancel in round %d\n",
			    i + 1);
			break;
		}
		us[done++] = clock_us() - t0;
	}
	net_free(n);
	if (done == 0)
		return 1;
	qsort(us, (size_t)done, sizeof *us, cmp);
	printf("cancel: %d rounds, median %.2f ms, worst %.2f ms "
	    "(target: within 100 ms)\n", done, us[done / 2] / 1000.0,
	    us[done - 1] / 1000.0);
	free(us);
	return done == rounds ? 0 : 1;
}
