package deploy

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../../" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// instructions returns the Dockerfile's instructions with continuation lines joined and comments dropped.
func instructions(src string) []string {
	var out []string
	cur := ""
	for _, line := range strings.Split(src, "\n") {
		t := strings.TrimSpace(line)
		if cur == "" && (t == "" || strings.HasPrefix(t, "#")) {
			continue
		}
		if strings.HasSuffix(t, "\\") {
			cur += strings.TrimSuffix(t, "\\") + " "
			continue
		}
		out = append(out, cur+t)
		cur = ""
	}
	return out
}

// TestDockerfile: a static binary built reproducibly, an empty final base with certificates and time zones, a
// numeric non-root user, a health check by argine itself, no download outside the package managers.
func TestDockerfile(t *testing.T) {
	ins := instructions(read(t, "Dockerfile"))
	var final []string
	for i, in := range ins {
		if strings.HasPrefix(in, "FROM ") {
			final = ins[i:]
		}
		if strings.HasPrefix(in, "ADD ") && strings.Contains(in, "://") {
			t.Errorf("remote ADD: %s", in)
		}
		if strings.Contains(in, "curl ") || strings.Contains(in, "wget ") {
			t.Errorf("download in the build: %s", in)
		}
	}
	if len(final) == 0 || final[0] != "FROM scratch AS runtime" {
		t.Fatalf("the final stage must be FROM scratch AS runtime, got %q", final[:1])
	}
	all := strings.Join(ins, "\n")
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "-buildid=", "-buildvcs=false", "ca-certificates.crt", "zoneinfo"} {
		if !strings.Contains(all, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	var user, health, entry string
	for _, in := range final {
		switch {
		case strings.HasPrefix(in, "USER "):
			user = strings.TrimPrefix(in, "USER ")
		case strings.HasPrefix(in, "HEALTHCHECK "):
			health = in
		case strings.HasPrefix(in, "ENTRYPOINT "):
			entry = in
		case strings.HasPrefix(in, "RUN "):
			t.Errorf("the empty runtime stage cannot RUN anything: %s", in)
		}
	}
	if !regexp.MustCompile(`^[1-9][0-9]*:[1-9][0-9]*$`).MatchString(user) {
		t.Errorf("USER must be a numeric non-root uid:gid, got %q", user)
	}
	if !strings.Contains(health, `CMD ["/usr/local/bin/argine", "healthcheck"]`) {
		t.Errorf("HEALTHCHECK must run argine healthcheck (exec form), got %q", health)
	}
	if entry != `ENTRYPOINT ["/usr/local/bin/argine"]` {
		t.Errorf("ENTRYPOINT %q", entry)
	}
	for _, want := range []string{"EXPOSE 8080", `VOLUME ["/var/lib/argine"]`} {
		if !strings.Contains(strings.Join(final, "\n"), want) {
			t.Errorf("runtime stage lacks %q", want)
		}
	}
}

// TestCompose: Argine with PostgreSQL and Mailpit, secrets from files only, ports published on loopback.
func TestCompose(t *testing.T) {
	var c struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			Build       any               `yaml:"build"`
			Environment map[string]string `yaml:"environment"`
			Ports       []string          `yaml:"ports"`
			Secrets     []string          `yaml:"secrets"`
			DependsOn   map[string]any    `yaml:"depends_on"`
			Healthcheck map[string]any    `yaml:"healthcheck"`
		} `yaml:"services"`
		Secrets map[string]struct {
			File string `yaml:"file"`
		} `yaml:"secrets"`
	}
	if err := yaml.Unmarshal([]byte(read(t, "compose.yaml")), &c); err != nil {
		t.Fatal(err)
	}
	db, mail, app := c.Services["db"], c.Services["mailpit"], c.Services["argine"]
	if !strings.Contains(db.Image, "postgres:") || db.Healthcheck == nil {
		t.Errorf("db service: %+v", db)
	}
	if !strings.Contains(mail.Image, "mailpit") {
		t.Errorf("mailpit service: %+v", mail)
	}
	if app.Build == nil || app.DependsOn["db"] == nil {
		t.Errorf("argine service must build this repository and wait for the database: %+v", app)
	}
	for k, v := range app.Environment {
		if (strings.Contains(k, "SECRET") || strings.Contains(k, "DATABASE_URL") || strings.Contains(k, "TOKEN")) && !strings.HasSuffix(k, "_FILE") {
			t.Errorf("secret %s given as a value, not a file", k)
		}
		if strings.HasSuffix(k, "_FILE") && !strings.HasPrefix(v, "/run/secrets/") {
			t.Errorf("%s=%s is not a mounted secret", k, v)
		}
	}
	if !strings.HasPrefix(app.Environment["ARGINE_SMTP_URL"], "smtp://mailpit:") {
		t.Errorf("argine does not send mail to mailpit: %q", app.Environment["ARGINE_SMTP_URL"])
	}
	for name, s := range c.Services {
		for _, p := range s.Ports {
			if !strings.HasPrefix(p, "127.0.0.1:") {
				t.Errorf("%s publishes %s beyond loopback", name, p)
			}
		}
		for _, sec := range s.Secrets {
			if c.Secrets[sec].File == "" {
				t.Errorf("%s uses undeclared secret %s", name, sec)
			}
		}
	}
}
