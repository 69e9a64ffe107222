package configs_test

// Checks of the deployment files in configs/deploy and of docs/deploy.md:
// what a mistake would break, read the way Docker, Compose, systemd and
// Kubernetes read them. No container daemon is needed; `docker compose
// config` and `systemd-analyze verify` run too when the machine has them.
// The binary itself is run as the image runs it by
// cmd/switchboard/deploy_test.go.

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/switchboard/switchboard/configs"
)

const deployDir = "deploy"

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	cmd  string // upper case: FROM, RUN, COPY…
	args string
}

// dockerStages parses a Dockerfile into its stages' instructions.
func dockerStages(t *testing.T, text string) [][]instruction {
	t.Helper()
	var stages [][]instruction
	var cur strings.Builder
	flush := func() {
		line := strings.TrimSpace(cur.String())
		cur.Reset()
		if line == "" {
			return
		}
		cmd, args, _ := strings.Cut(line, " ")
		in := instruction{cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args)}
		if in.cmd == "FROM" {
			stages = append(stages, nil)
		}
		require.NotEmpty(t, stages, "the Dockerfile starts with FROM (after comments): %q", line)
		stages[len(stages)-1] = append(stages[len(stages)-1], in)
	}
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") && cur.Len() == 0 {
			continue
		}
		if strings.HasSuffix(trimmed, "\\") {
			cur.WriteString(strings.TrimSuffix(trimmed, "\\") + " ")
			continue
		}
		cur.WriteString(trimmed)
		flush()
	}
	flush()
	return stages
}

// fromImage is the image of a FROM line, without flags and stage name.
func fromImage(args string) (image, name string) {
	f := strings.Fields(args)
	for len(f) > 0 && strings.HasPrefix(f[0], "--") {
		f = f[1:]
	}
	if len(f) >= 3 && strings.EqualFold(f[1], "AS") {
		return f[0], f[2]
	}
	return f[0], ""
}

func goModVersion(t *testing.T) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindStringSubmatch(readFile(t, "../go.mod"))
	require.NotNil(t, m, "go.mod has a go line")
	return m[1]
}

func TestDockerfileBuildsAStaticBinaryIntoANonRootDistrolessImage(t *testing.T) {
	t.Parallel()
	stages := dockerStages(t, readFile(t, filepath.Join(deployDir, "Dockerfile")))
	require.GreaterOrEqual(t, len(stages), 2, "multi-stage: a build stage and a small runtime stage")

	build, final := stages[0], stages[len(stages)-1]
	buildImage, buildName := fromImage(build[0].args)
	require.NotEmpty(t, buildName, "the build stage is named, for COPY --from")
	require.Regexp(t, `^golang:`+regexp.QuoteMeta(goModVersion(t))+`(\.\d+)?(-|$)`, buildImage,
		"the build stage uses the Go release of go.mod")
	var builds bool
	for _, in := range build {
		if in.cmd == "RUN" && strings.Contains(in.args, "./configs/deploy/build.sh ") {
			builds = true
		}
	}
	require.True(t, builds, "the build stage builds with configs/deploy/build.sh, the script the tests run")

	finalImage, _ := fromImage(final[0].args)
	require.True(t, finalImage == "scratch" || strings.HasPrefix(finalImage, "gcr.io/distroless/static"),
		"the runtime image is distroless static or scratch, not %s", finalImage)
	var user, entrypoint string
	var copied []string
	for _, in := range final {
		switch in.cmd {
		case "USER":
			user = in.args
		case "ENTRYPOINT":
			entrypoint = in.args
		case "COPY":
			f := strings.Fields(in.args)
			require.Contains(t, f, "--from="+buildName, "the runtime stage copies only from the build stage: %s", in.args)
			copied = append(copied, f[len(f)-1])
		}
	}
	uid, _, _ := strings.Cut(user, ":")
	if n, err := strconv.Atoi(uid); err == nil {
		require.NotZero(t, n, "USER is not root")
	} else {
		require.Equal(t, "nonroot", uid, "USER is numeric or distroless' nonroot")
	}
	var argv []string
	require.NoError(t, yaml.Unmarshal([]byte(entrypoint), &argv), "ENTRYPOINT in exec form (JSON): there is no shell")
	require.NotEmpty(t, argv)
	require.Contains(t, copied, argv[0], "ENTRYPOINT is the binary copied from the build stage")
	require.Equal(t, "switchboard", filepath.Base(argv[0]))
}

// dockerignored reports whether a path of the build context matches one of
// the ignore file's patterns (the subset of the syntax the file uses:
// exact paths, folders, globs, **/ prefixes, ! exceptions).
func dockerignored(patterns []string, path string) bool {
	ignored := false
	for _, p := range patterns {
		negate := strings.HasPrefix(p, "!")
		p = strings.TrimPrefix(p, "!")
		var match bool
		parts := strings.Split(path, "/")
		for i := range parts {
			prefix := strings.Join(parts[:i+1], "/")
			if ok, _ := filepath.Match(p, prefix); ok {
				match = true
			}
			if rest, found := strings.CutPrefix(p, "**/"); found {
				for j := 0; j <= i; j++ {
					if ok, _ := filepath.Match(rest, strings.Join(parts[j:i+1], "/")); ok {
						match = true
					}
				}
			}
		}
		if match {
			ignored = !negate
		}
	}
	return ignored
}

func TestDockerignoreKeepsSecretsAndLocalDataOutOfTheBuildContext(t *testing.T) {
	t.Parallel()
	var patterns []string
	sc := bufio.NewScanner(strings.NewReader(readFile(t, filepath.Join(deployDir, "Dockerfile.dockerignore"))))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			patterns = append(patterns, l)
		}
	}
	for _, path := range []string{".env", "configs/deploy/.env", "prod.env", ".git", "data/switchboard.db", "bin/switchboard", "x/y.db-wal"} {
		require.True(t, dockerignored(patterns, path), "%s stays out of the image's build context", path)
	}
	for _, path := range []string{"go.mod", "go.sum", "configs/deploy/build.sh", "cmd/switchboard/main.go",
		"configs/default.yaml", "storage/migrations/postgres/001_init.sql"} {
		require.False(t, dockerignored(patterns, path), "%s is needed by the build", path)
	}
}

// appVariables are the environment variables switchboard reads: those the
// built-in configuration references, and SWITCHBOARD_CONFIG.
func appVariables(t *testing.T) []string {
	t.Helper()
	vars := []string{"SWITCHBOARD_CONFIG"}
	for _, m := range regexp.MustCompile(`\$\{([A-Z0-9_]+)`).FindAllStringSubmatch(readFile(t, "default.yaml"), -1) {
		if !slices.Contains(vars, m[1]) {
			vars = append(vars, m[1])
		}
	}
	return vars
}

// composeOnly are variables env.example lists for docker compose itself.
var composeOnly = []string{"POSTGRES_PASSWORD"}

func TestEnvExampleListsEveryVariableDocumentedAndNoSecret(t *testing.T) {
	t.Parallel()
	doc := readFile(t, "../docs/configuration.md")
	var listed []string
	sc := bufio.NewScanner(strings.NewReader(readFile(t, filepath.Join(deployDir, "env.example"))))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		require.True(t, ok, "a KEY=value line: %q", line)
		require.Empty(t, value, "%s: env.example fills in nothing (no secret, no guess)", key)
		listed = append(listed, key)
	}
	app := appVariables(t)
	for _, v := range app {
		require.Contains(t, listed, v, "env.example lists every variable switchboard reads")
		require.Contains(t, doc, "| `"+v+"` |", "docs/configuration.md documents %s", v)
	}
	for _, v := range listed {
		require.True(t, slices.Contains(app, v) || slices.Contains(composeOnly, v),
			"env.example lists %s, which nothing reads", v)
	}
}

// composeFile is the part of a Compose file these tests look at.
type composeFile struct {
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
}

type composeService struct {
	Image string `yaml:"image"`
	Build *struct {
		Context    string `yaml:"context"`
		Dockerfile string `yaml:"dockerfile"`
	} `yaml:"build"`
	Command         []string                     `yaml:"command"`
	EnvFile         string                       `yaml:"env_file"`
	Environment     map[string]string            `yaml:"environment"`
	DependsOn       map[string]map[string]string `yaml:"depends_on"`
	Healthcheck     map[string]any               `yaml:"healthcheck"`
	Volumes         []string                     `yaml:"volumes"`
	Ports           []string                     `yaml:"ports"`
	Restart         string                       `yaml:"restart"`
	StopGracePeriod string                       `yaml:"stop_grace_period"`
	ReadOnly        bool                         `yaml:"read_only"`
}

// secretName: variables whose value must never be written in a file.
var secretName = regexp.MustCompile(`TOKEN|SECRET|PASSWORD`)

// reference is a whole value that only refers to a variable.
var reference = regexp.MustCompile(`^\$\{[A-Z0-9_]+(:?[-?][^}]*)?\}$`)

func TestComposeRunsSwitchboardAfterAHealthyMigratedPostgres(t *testing.T) {
	t.Parallel()
	path := filepath.Join(deployDir, "docker-compose.yml")
	raw := readFile(t, path)
	var c composeFile
	require.NoError(t, yaml.Unmarshal([]byte(raw), &c), "the compose file is YAML (anchors and merge keys resolved)")

	pg, ok := c.Services["postgres"]
	require.True(t, ok, "a postgres service")
	require.Regexp(t, `^postgres:15(\.|-|$)`, pg.Image)
	require.Contains(t, strings.Join(asStrings(pg.Healthcheck["test"]), " "), "pg_isready", "healthy means pg_isready answers")
	require.NotEmpty(t, pg.Volumes)
	volume, mount, _ := strings.Cut(pg.Volumes[0], ":")
	require.Contains(t, c.Volumes, volume, "the data is a declared named volume")
	require.Equal(t, "/var/lib/postgresql/data", mount)
	require.Empty(t, pg.Ports, "PostgreSQL is reached on the compose network only")
	require.Regexp(t, reference, pg.Environment["POSTGRES_PASSWORD"])

	defaultTimeout := configs.DefaultShutdownTimeout.D()
	for _, name := range []string{"migrate", "switchboard"} {
		s, ok := c.Services[name]
		require.True(t, ok, "a %s service", name)
		require.NotNil(t, s.Build, "%s builds the image", name)
		context := filepath.Join(deployDir, s.Build.Context)
		require.FileExists(t, filepath.Join(context, "go.mod"), "the build context is the repository root")
		require.FileExists(t, filepath.Join(context, s.Build.Dockerfile))
		want, err := filepath.Abs(filepath.Join(deployDir, "Dockerfile"))
		require.NoError(t, err)
		got, err := filepath.Abs(filepath.Join(context, s.Build.Dockerfile))
		require.NoError(t, err)
		require.Equal(t, want, got, "%s builds configs/deploy/Dockerfile", name)
		require.Equal(t, "service_healthy", s.DependsOn["postgres"]["condition"], "%s waits for a healthy PostgreSQL", name)
		require.Equal(t, ".env", s.EnvFile, "secrets come from the git-ignored .env")
		require.True(t, s.ReadOnly, "nothing is written in the container with PostgreSQL")
		for key, value := range s.Environment {
			require.Contains(t, appVariables(t), key, "%s sets a variable switchboard reads", name)
			if secretName.MatchString(key) {
				require.Regexp(t, reference, value, "%s: no literal secret", key)
			}
		}
		dbURL := s.Environment["SWITCHBOARD_DATABASE_URL"]
		require.Regexp(t, `^postgres://switchboard:\$\{POSTGRES_PASSWORD[^}]*\}@postgres:5432/switchboard\b`, dbURL,
			"the database URL points at the postgres service and takes its password from .env")
	}
	require.Equal(t, []string{"migrate"}, c.Services["migrate"].Command)
	sb := c.Services["switchboard"]
	require.Equal(t, []string{"serve"}, sb.Command)
	require.Equal(t, "service_completed_successfully", sb.DependsOn["migrate"]["condition"], "the server starts on a migrated database")
	require.Equal(t, "unless-stopped", sb.Restart)
	grace, err := time.ParseDuration(sb.StopGracePeriod)
	require.NoError(t, err)
	require.Greater(t, grace, defaultTimeout, "Docker's SIGKILL comes after server.shutdown_timeout")
	require.Equal(t, []string{"127.0.0.1:8080:8080"}, sb.Ports, "published on the loopback, for the TLS proxy in front")

	require.Contains(t, readFile(t, "../.gitignore"), "/configs/deploy/.env", "the compose secrets are never committed")

	// Compose itself, when the machine has it.
	for _, tool := range [][]string{{"docker", "compose"}, {"docker-compose"}} {
		if _, err := exec.LookPath(tool[0]); err != nil {
			continue
		}
		if exec.Command(tool[0], append(tool[1:], "version")...).Run() != nil {
			continue
		}
		// A copy beside a throwaway .env, so the real one is never needed.
		dir := t.TempDir()
		dst := filepath.Join(dir, "configs", "deploy")
		require.NoError(t, os.MkdirAll(dst, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dst, "docker-compose.yml"), []byte(raw), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dst, ".env"), []byte("POSTGRES_PASSWORD=compose0test\n"), 0o600))
		out, err := exec.Command(tool[0], append(tool[1:], "-f", filepath.Join(dst, "docker-compose.yml"), "config", "-q")...).CombinedOutput()
		require.NoError(t, err, "%s config: %s", strings.Join(tool, " "), out)
		return
	}
	t.Log("neither `docker compose` nor `docker-compose` is installed: the file was checked by the assertions above only")
}

func asStrings(v any) []string {
	var out []string
	switch v := v.(type) {
	case []any:
		for _, s := range v {
			out = append(out, strings.TrimSpace(toString(s)))
		}
	case string:
		out = append(out, v)
	}
	return out
}

func toString(v any) string {
	s, _ := v.(string)
	return s
}

// unitFile parses a systemd unit: section → key → values (a key may repeat).
func unitFile(t *testing.T, text string) map[string]map[string][]string {
	t.Helper()
	units := map[string]map[string][]string{}
	var section string
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = strings.Trim(line, "[]")
			units[section] = map[string][]string{}
		default:
			key, value, ok := strings.Cut(line, "=")
			require.True(t, ok && section != "", "line %d is key=value inside a section: %q", i+1, line)
			units[section][key] = append(units[section][key], value)
		}
	}
	return units
}

func TestSystemdUnitRunsHardenedMigratesFirstAndStopsWithinItsTimeout(t *testing.T) {
	t.Parallel()
	text := readFile(t, filepath.Join(deployDir, "switchboard.service"))
	u := unitFile(t, text)
	s := u["Service"]
	one := func(key string) string {
		t.Helper()
		require.Len(t, s[key], 1, "[Service] %s is set once", key)
		return s[key][0]
	}
	if len(s["User"]) == 0 {
		require.Equal(t, "yes", one("DynamicUser"), "not root: a dynamic user, or a dedicated User=")
	} else {
		require.NotContains(t, []string{"root", "0"}, one("User"))
	}
	require.Equal(t, "strict", one("ProtectSystem"))
	require.Equal(t, "yes", one("NoNewPrivileges"))
	require.Equal(t, "switchboard", one("StateDirectory"), "the one writable place, for SQLite")
	require.Equal(t, "/var/lib/switchboard", one("WorkingDirectory"), "the default SQLite path lands in the state directory")
	require.Equal(t, "/etc/switchboard/env", one("EnvironmentFile"))
	require.Regexp(t, `^/\S+/switchboard migrate$`, one("ExecStartPre"), "the schema is migrated before serving")
	require.Regexp(t, `^/\S+/switchboard serve$`, one("ExecStart"))
	require.Equal(t, "on-failure", one("Restart"))
	require.Equal(t, "SIGTERM", one("KillSignal"), "SIGTERM starts switchboard's graceful shutdown")
	stop, err := time.ParseDuration(one("TimeoutStopSec"))
	require.NoError(t, err)
	require.Greater(t, stop, configs.DefaultShutdownTimeout.D(), "SIGKILL comes after server.shutdown_timeout")
	require.Equal(t, []string{"multi-user.target"}, u["Install"]["WantedBy"])

	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Log("systemd-analyze is not installed: the unit was checked by the assertions above only")
		return
	}
	// verify wants the executables to exist: this test's own binary stands
	// in for /usr/local/bin/switchboard.
	self, err := os.Executable()
	require.NoError(t, err)
	unit := filepath.Join(t.TempDir(), "switchboard.service")
	require.NoError(t, os.WriteFile(unit, []byte(strings.ReplaceAll(text, "/usr/local/bin/switchboard", self)), 0o644))
	var stderr bytes.Buffer
	cmd := exec.Command(analyze, "verify", unit)
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Run(), "systemd-analyze verify: %s", stderr.String())
	require.Empty(t, strings.TrimSpace(stderr.String()), "systemd-analyze verify has nothing to say")
}

// k8sContainer is the part of a Kubernetes container these tests look at.
type k8sContainer struct {
	Name  string   `yaml:"name"`
	Image string   `yaml:"image"`
	Args  []string `yaml:"args"`
	Env   []struct {
		Name  string `yaml:"name"`
		Value string `yaml:"value"`
	} `yaml:"env"`
	LivenessProbe  *k8sProbe `yaml:"livenessProbe"`
	ReadinessProbe *k8sProbe `yaml:"readinessProbe"`
	Resources      struct {
		Requests map[string]string `yaml:"requests"`
		Limits   map[string]string `yaml:"limits"`
	} `yaml:"resources"`
	SecurityContext struct {
		ReadOnlyRootFilesystem   bool `yaml:"readOnlyRootFilesystem"`
		AllowPrivilegeEscalation bool `yaml:"allowPrivilegeEscalation"`
	} `yaml:"securityContext"`
}

type k8sProbe struct {
	HTTPGet *struct {
		Path string `yaml:"path"`
		Port any    `yaml:"port"`
	} `yaml:"httpGet"`
	Exec any `yaml:"exec"`
}

type k8sObject struct {
	Kind string `yaml:"kind"`
	Spec struct {
		Replicas int `yaml:"replicas"`
		Template struct {
			Spec struct {
				TerminationGracePeriodSeconds int `yaml:"terminationGracePeriodSeconds"`
				SecurityContext               struct {
					RunAsNonRoot bool `yaml:"runAsNonRoot"`
					RunAsUser    int  `yaml:"runAsUser"`
				} `yaml:"securityContext"`
				InitContainers []k8sContainer `yaml:"initContainers"`
				Containers     []k8sContainer `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

// The Kubernetes manifest of docs/deploy.md is YAML Kubernetes would take,
// and what it says about probes and shutdown matches what switchboard does:
// HTTP probes (the image has no shell), a grace period longer than the
// shutdown timeout, a drain delay shorter than it, several replicas.
func TestDeployDocKubernetesManifestProbesHTTPAndOutlastsTheShutdown(t *testing.T) {
	t.Parallel()
	doc := readFile(t, "../docs/deploy.md")
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(doc, -1)
	var deployment *k8sObject
	for _, b := range blocks {
		dec := yaml.NewDecoder(strings.NewReader(b[1]))
		for {
			var o k8sObject
			if err := dec.Decode(&o); err != nil {
				require.ErrorIs(t, err, io.EOF, "the manifest is valid YAML")
				break
			}
			if o.Kind == "Deployment" {
				deployment = &o
			}
		}
	}
	require.NotNil(t, deployment, "docs/deploy.md shows a Deployment")
	pod := deployment.Spec.Template.Spec
	require.Greater(t, deployment.Spec.Replicas, 1, "several replicas on PostgreSQL")
	require.True(t, pod.SecurityContext.RunAsNonRoot)
	require.Equal(t, imageUID(t), pod.SecurityContext.RunAsUser, "the Dockerfile's USER")
	require.Len(t, pod.Containers, 1)
	c := pod.Containers[0]
	require.Equal(t, []string{"serve"}, c.Args)
	require.NotNil(t, c.LivenessProbe.HTTPGet, "liveness over HTTP")
	require.Equal(t, "/healthz", c.LivenessProbe.HTTPGet.Path)
	require.NotNil(t, c.ReadinessProbe.HTTPGet, "readiness over HTTP")
	require.Equal(t, "/readyz", c.ReadinessProbe.HTTPGet.Path)
	require.NotEmpty(t, c.Resources.Requests["memory"])
	require.NotEmpty(t, c.Resources.Limits["memory"])
	require.True(t, c.SecurityContext.ReadOnlyRootFilesystem)

	env := map[string]string{}
	for _, e := range c.Env {
		env[e.Name] = e.Value
	}
	cfg, err := configs.Default(func(k string) string { return env[k] })
	require.NoError(t, err, "the manifest's environment is a valid configuration")
	require.Positive(t, cfg.Server.DrainDelay.D(), "a drain delay, for the endpoints to catch up")
	require.Greater(t, time.Duration(pod.TerminationGracePeriodSeconds)*time.Second, cfg.Server.ShutdownTimeout.D(),
		"Kubernetes' SIGKILL comes after the shutdown timeout")
	require.NotEmpty(t, pod.InitContainers, "migrations run before the server")
	require.Equal(t, []string{"migrate"}, pod.InitContainers[0].Args)

	// The proxy examples expose exactly the paths the platforms call.
	cfg, err = configs.Default(func(k string) string {
		return map[string]string{"SWITCHBOARD_PUBLIC_URL": "https://switchboard.example.com"}[k]
	})
	require.NoError(t, err)
	var paths []string
	for _, u := range cfg.CallbackURLs() {
		_, path, ok := strings.Cut(u, "https://switchboard.example.com")
		require.True(t, ok, u)
		paths = append(paths, path)
	}
	require.Len(t, paths, 4)
	require.Contains(t, doc, "@platforms path "+strings.Join(paths, " "), "Caddy routes exactly the platforms' paths")
	require.Contains(t, doc, "location = /webhooks/whatsapp ", "nginx routes Meta's path")
	for _, p := range paths[1:] {
		require.True(t, strings.HasPrefix(p, "/slack/"), "nginx's location /slack/ covers %s", p)
	}
	require.True(t, strings.Contains(readFile(t, "../README.md"), "(docs/deploy.md)"), "README's setup points to the deployment guide")
}

// imageUID is the numeric uid of the Dockerfile's final USER.
func imageUID(t *testing.T) int {
	t.Helper()
	stages := dockerStages(t, readFile(t, filepath.Join(deployDir, "Dockerfile")))
	for _, in := range stages[len(stages)-1] {
		if in.cmd == "USER" {
			uid, _, _ := strings.Cut(in.args, ":")
			n, err := strconv.Atoi(uid)
			require.NoError(t, err, "a numeric USER, which Kubernetes' runAsNonRoot can check")
			return n
		}
	}
	t.Fatal("the final stage sets USER")
	return 0
}
