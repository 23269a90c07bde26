/*
 * tui/demo.c - start and stop the bundled demo server.
 *
 * The server is tests/fakeapi.py (installed as PKGDATADIR/fakeapi.py). It
 * runs in its own session so that a Ctrl-C meant for tolk does not reach
 * it, and it is stopped and its temporary folder removed when tolk ends.
 */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net/net.h"
#include "tui/demo.h"

#define DEMO_KEY "demo"

struct demo {
	pid_t	 pid;
	char	*dir;
	int	 port;
};

static char *
server_path(void)
{
	const char	*env;
	char		*p;

	env = getenv("TOLK_DEMO_SERVER");
	if (env != NULL && *env != '\0')
		return xstrdup(env);
	p = xasprintf("%s/fakeapi.py", TOLK_PKGDATADIR);
	if (access(p, R_OK) == 0)
		return p;
	free(p);
	p = xasprintf("%s/tests/fakeapi.py", TOLK_SRCDIR);
	if (access(p, R_OK) == 0)
		return p;
	free(p);
	return NULL;
}

static int
read_port(const char *path)
{
	FILE	*f;
	int	 port = 0;

	if ((f = fopen(path, "r")) == NULL)
		return 0;
	if (fscanf(f, "%d", &port) != 1)
		port = 0;
	fclose(f);
	return port > 0 && port < 65536 ? port : 0;
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path) == 0 || errno == ENOENT ? 0 : 0;
}

bool
demo_needed(const struct config *c)
{
	const struct provider	*p;
	char			*url;
	bool			 ok;

	if (!config_model_is_guess(c))
		return false;
	if ((p = config_provider(c, "ollama")) == NULL)
		return true;
	url = xasprintf("%s/api/version", p->base_url);
	ok = net_probe(url, 300);
	free(url);
	return !ok;
}

struct demo *
demo_start(char **cause)
{
	struct demo	*d;
	char		*script, *portfile, *logfile;
	char		 tmpl[] = "/tmp/tolk-demo-XXXXXX";
	const char	*tmp;
	int		 i, status, fd;

	if ((script = server_path()) == NULL) {
		*cause = xstrdup("the demo server is not installed (set "
		    "TOLK_DEMO_SERVER to tests/fakeapi.py)");
		return NULL;
	}
	d = xcalloc(1, sizeof *d);
	tmp = getenv("TMPDIR");
	if (tmp != NULL && *tmp == '/')
		d->dir = xasprintf("%s/tolk-demo-XXXXXX", tmp);
	else
		d->dir = xstrdup(tmpl);
	if (mkdtemp(d->dir) == NULL) {
		*cause = xasprintf("cannot make a folder for the demo: %s",
		    strerror(errno));
		free(d->dir);
		free(d);
		free(script);
		return NULL;
	}
	portfile = xasprintf("%s/port", d->dir);
	logfile = xasprintf("%s/server.log", d->dir);
	fflush(NULL);
	d->pid = fork();
	if (d->pid == 0) {
		setsid();
		fd = open("/dev/null", O_RDWR);
		dup2(fd, 0);
		dup2(fd, 1);
		fd = open(logfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0)
			dup2(fd, 2);
		execlp("python3", "python3", script, "--port", "0",
		    "--port-file", portfile, "--key", DEMO_KEY, (char *)NULL);
		_exit(127);
	}
	free(script);
	if (d->pid < 0) {
		*cause = xasprintf("cannot start the demo server: %s",
		    strerror(errno));
		goto fail;
	}
	for (i = 0; i < 100; i++) {
		if ((d->port = read_port(portfile)) != 0)
			break;
		if (waitpid(d->pid, &status, WNOHANG) == d->pid) {
			d->pid = 0;
			*cause = xasprintf("the demo server did not start "
			    "(python3 missing? see %s)", logfile);
			goto fail;
		}
		usleep(50000);
	}
	if (d->port == 0) {
		*cause = xstrdup("the demo server did not start in 5 s");
		goto fail;
	}
	free(portfile);
	free(logfile);
	setenv("TOLK_DEMO_KEY", DEMO_KEY, 1);
	return d;
fail:
	free(portfile);
	free(logfile);
	demo_stop(d);
	return NULL;
}

struct config *
demo_config(const struct demo *d, char **cause)
{
	struct config	*c;
	char		*text;

	text = xasprintf("model = demo:demo\n"
	    "[provider demo]\n"
	    "api = openai\n"
	    "base_url = http://127.0.0.1:%d/v1\n"
	    "key_env = TOLK_DEMO_KEY\n"
	    "models = demo\n"
	    "stream_usage = yes\n", d->port);
	c = config_load_string(text, "demo", cause);
	free(text);
	return c;
}

const char *
demo_dir(const struct demo *d)
{
	return d->dir;
}

void
demo_stop(struct demo *d)
{
	int	status;

	if (d == NULL)
		return;
	if (d->pid > 0) {
		kill(d->pid, SIGTERM);
		waitpid(d->pid, &status, 0);
	}
	nftw(d->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(d->dir);
	free(d);
}
