package publiccode

import (
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
)

// The values the publiccode.yml 0.7 schema allows.
var (
	newestVersion = "0.7"
	topLevelKeys  = []string{"publiccodeYmlVersion", "name", "applicationSuite", "url", "landingURL", "isBasedOn",
		"softwareVersion", "releaseDate", "logo", "platforms", "categories", "usedBy", "roadmap", "developmentStatus",
		"softwareType", "supports", "intendedAudience", "description", "legal", "maintenance", "localisation",
		"dependsOn", "organisation", "fundedBy"}
	// deprecatedKeys are accepted by the validator with a warning; a catalogue entry should not carry them.
	deprecatedKeys = []string{"monochromeLogo", "inputTypes", "outputTypes", "it", "IT"}
	categories     = []string{"accounting", "agile-project-management", "applicant-tracking", "application-development",
		"appointment-scheduling", "backup", "billing-and-invoicing", "blog", "budgeting", "business-intelligence",
		"business-process-management", "cad", "call-center-management", "cloud-management", "collaboration",
		"communications", "compliance-management", "contact-management", "content-management", "crm",
		"customer-service-and-support", "data-analytics", "data-collection", "data-visualization", "design",
		"design-system", "digital-asset-management", "digital-citizenship", "document-management", "donor-management",
		"e-commerce", "e-signature", "educational-content", "email-management", "email-marketing",
		"employee-management", "enterprise-project-management", "enterprise-social-networking", "erp",
		"event-management", "facility-management", "feedback-and-reviews-management", "financial-reporting",
		"fleet-management", "fundraising", "gamification", "geographic-information-systems", "grant-management",
		"graphic-design", "help-desk", "hr", "ide", "identity-management", "instant-messaging", "inventory-management",
		"it-asset-management", "it-development", "it-management", "it-security", "it-service-management",
		"knowledge-management", "learning-management-system", "marketing", "mind-mapping", "mobile-marketing",
		"mobile-payment", "network-management", "office", "online-booking", "online-community", "payment-gateway",
		"payroll", "predictive-analysis", "procurement", "productivity-suite", "project-collaboration",
		"project-management", "property-management", "real-estate-management", "remote-support",
		"resource-management", "sales-management", "seo", "service-desk", "social-media-management", "survey",
		"talent-management", "task-management", "taxes-management", "test-management", "time-management",
		"time-tracking", "translation", "video-conferencing", "video-editing", "visitor-management", "voip",
		"warehouse-management", "web-collaboration", "web-conferencing", "website-builder", "whistleblowing",
		"workflow-management"}
	developmentStatuses = []string{"concept", "development", "beta", "stable", "obsolete"}
	softwareTypes       = []string{"standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web",
		"standalone/backend", "standalone/other", "addon", "library", "configurationFiles"}
	scopes = []string{"agriculture", "culture", "defence", "education", "emergency-services", "employment", "energy",
		"environment", "finance-and-economic-development", "foreign-affairs", "government", "healthcare",
		"infrastructures", "justice", "local-authorities", "manufacturing", "research", "science-and-technology",
		"security", "society", "sport", "tourism", "transportation", "welfare"}
	supportAliases  = []string{"alias:gdpr", "alias:eidas", "alias:nis2", "alias:cra", "alias:spid", "alias:cie", "alias:anpr", "alias:pagopa", "alias:io"}
	descriptionKeys = []string{"localisedName", "shortDescription", "longDescription", "documentation",
		"apiDocumentation", "features", "screenshots", "videos", "awards"} // genericName is deprecated
	legalKeys        = []string{"license", "mainCopyrightOwner"} // repoOwner, authorsFile are deprecated
	maintenanceTypes = []string{"internal", "contract", "community", "none"}
	dependencyKeys   = []string{"name", "versionMin", "versionMax", "version", "optional"}
	countryRe        = regexp.MustCompile(`^[A-Z]{2}$`)
)

// TestPubliccodeYmlFollowsTheNewestStandard reads ../../publiccode.yml and fails on anything the official
// validator would reject or warn about.
func TestPubliccodeYmlFollowsTheNewestStandard(t *testing.T) {
	raw, err := os.ReadFile("../../publiccode.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range check(t, raw) {
		t.Error(p)
	}
}

// TestCheckCatchesTheOldMistakes: the file as it was (0.4, a category that does not exist, genericName, the
// lowercase it: section with conforme and an empty codiceIPA) must fail, or the check proves nothing.
func TestCheckCatchesTheOldMistakes(t *testing.T) {
	old := `publiccodeYmlVersion: "0.4"
name: Argine
url: "https://github.com/argine-pa/argine"
platforms: [web]
categories: [compliance-management, risk-management]
developmentStatus: development
softwareType: standalone/web
description:
  it:
    genericName: Registro dei rischi corruttivi
    shortDescription: Breve.
    longDescription: Troppo breve.
    features: [Una]
legal:
  license: EUPL-1.2
maintenance:
  type: community
  contacts: [{name: Argine maintainers}]
localisation:
  localisationReady: true
  availableLanguages: [it]
it:
  countryExtensionVersion: "1.0"
  conforme:
    gdpr: false
  riuso:
    codiceIPA: ""
`
	problems := strings.Join(check(t, []byte(old)), "\n")
	for _, want := range []string{`publiccodeYmlVersion "0.4"`, `category "risk-management"`, `genericName`,
		`deprecated key "it"`, "longDescription has 13 characters"} {
		if !strings.Contains(problems, want) {
			t.Errorf("the old file's mistake %q was not caught; problems:\n%s", want, problems)
		}
	}
}

// check returns every problem of a publiccode.yml document.
func check(t *testing.T, raw []byte) []string {
	t.Helper()
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if !utf8.Valid(raw) {
		bad("the file is not UTF-8")
	}
	var doc map[string]any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("publiccode.yml is not valid YAML: %v", err)
	}
	for k := range doc {
		switch {
		case slices.Contains(deprecatedKeys, k):
			bad("deprecated key %q: since 0.7 use supports and organisation", k)
		case !slices.Contains(topLevelKeys, k):
			bad("unknown top-level key %q", k)
		}
	}
	if v := str(doc["publiccodeYmlVersion"]); v != newestVersion {
		bad("publiccodeYmlVersion %q, want the newest, %q", v, newestVersion)
	}
	if str(doc["name"]) == "" {
		bad("name is missing")
	}
	if u, err := url.Parse(str(doc["url"])); err != nil || u.Scheme != "https" || u.Host == "" {
		bad("url %q is not an https URL of the repository", str(doc["url"]))
	}
	if len(list(doc["platforms"])) == 0 {
		bad("platforms is missing")
	}
	cats := list(doc["categories"])
	if len(cats) == 0 {
		bad("categories is missing")
	}
	for _, c := range cats {
		if !slices.Contains(categories, str(c)) {
			bad("category %q is not in the standard's list", str(c))
		}
	}
	enum(bad, "developmentStatus", str(doc["developmentStatus"]), developmentStatuses)
	enum(bad, "softwareType", str(doc["softwareType"]), softwareTypes)
	for _, s := range list(doc["supports"]) {
		m := obj(s)
		id := str(m["id"])
		if len(m) != 1 || id == "" {
			bad("supports item %v must have just an id", s)
			continue
		}
		if strings.HasPrefix(id, "alias:") {
			enum(bad, "supports alias", id, supportAliases)
		} else if u, err := url.Parse(id); err != nil || u.Scheme == "" || (u.Opaque == "" && u.Host == "") {
			bad("supports id %q is neither a known alias nor a URI", id)
		}
	}
	if ia := obj(doc["intendedAudience"]); ia != nil {
		for _, key := range []string{"countries", "unsupportedCountries"} {
			for _, c := range list(ia[key]) {
				if !countryRe.MatchString(str(c)) {
					bad("intendedAudience/%s %q: use an uppercase ISO 3166-1 alpha-2 code", key, str(c))
				}
			}
		}
		for _, s := range list(ia["scope"]) {
			enum(bad, "intendedAudience/scope", str(s), scopes)
		}
	}
	descriptions := obj(doc["description"])
	if descriptions["it"] == nil {
		bad("description/it is missing: the software is for Italian administrations")
	}
	for lang, d := range descriptions {
		desc := obj(d)
		for k := range desc {
			if !slices.Contains(descriptionKeys, k) {
				bad("description/%s/%s is not a key of 0.7 (genericName is deprecated)", lang, k)
			}
		}
		if short := str(desc["shortDescription"]); short == "" || utf8.RuneCountInString(short) > 150 || strings.Contains(short, "\n") {
			bad("description/%s/shortDescription must be one line of at most 150 characters, has %d", lang, utf8.RuneCountInString(short))
		}
		if n := utf8.RuneCountInString(str(desc["longDescription"])); n < 150 || n > 10000 {
			bad("description/%s/longDescription has %d characters, want 150 to 10000", lang, n)
		}
		if len(list(desc["features"])) == 0 {
			bad("description/%s/features is missing", lang)
		}
		for _, k := range []string{"documentation", "apiDocumentation"} {
			if v := str(desc[k]); v != "" {
				if u, err := url.Parse(v); err != nil || u.Scheme != "https" {
					bad("description/%s/%s %q is not an https URL", lang, k, v)
				}
			}
		}
	}
	legal := obj(doc["legal"])
	for k := range legal {
		if !slices.Contains(legalKeys, k) {
			bad("legal/%s is deprecated or unknown", k)
		}
	}
	if str(legal["license"]) == "" {
		bad("legal/license is missing")
	}
	m := obj(doc["maintenance"])
	typ := str(m["type"])
	enum(bad, "maintenance/type", typ, maintenanceTypes)
	if (typ == "internal" || typ == "community") && len(list(m["contacts"])) == 0 {
		bad("maintenance/contacts is mandatory for maintenance type %s", typ)
	}
	for _, c := range list(m["contacts"]) {
		if str(obj(c)["name"]) == "" {
			bad("a maintenance contact has no name")
		}
	}
	loc := obj(doc["localisation"])
	if _, ok := loc["localisationReady"].(bool); !ok {
		bad("localisation/localisationReady must be true or false")
	}
	if len(list(loc["availableLanguages"])) == 0 {
		bad("localisation/availableLanguages is missing")
	}
	for kind, deps := range obj(doc["dependsOn"]) {
		enum(bad, "dependsOn kind", kind, []string{"open", "proprietary", "hardware"})
		for _, d := range list(deps) {
			dep := obj(d)
			if str(dep["name"]) == "" {
				bad("dependsOn/%s: a dependency has no name", kind)
			}
			for k := range dep {
				enum(bad, "dependsOn/"+kind+" key", k, dependencyKeys)
			}
		}
	}
	if o := obj(doc["organisation"]); doc["organisation"] != nil && str(o["uri"]) == "" {
		bad("organisation/uri is mandatory when organisation is given")
	}
	return problems
}

// TestAccessibilityStatementIsWhereTheFileSays: publiccode.yml points readers to the statement at
// /accessibilita; the app must have that page, reachable without signing in.
func TestAccessibilityStatementIsWhereTheFileSays(t *testing.T) {
	raw, _ := os.ReadFile("../../publiccode.yml")
	if !strings.Contains(string(raw), "`/accessibilita`") {
		t.Fatal("publiccode.yml no longer names the accessibility statement page")
	}
	app, err := os.ReadFile("../../frontend/src/app/App.tsx")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(app), `<Route path="/accessibilita" element={<PublicFrame><AccessibilityPage />`) {
		t.Fatal("the app has no public /accessibilita page, which publiccode.yml names")
	}
}

func enum(bad func(string, ...any), what, v string, allowed []string) {
	if !slices.Contains(allowed, v) {
		bad("%s %q is not one of %s", what, v, strings.Join(allowed, ", "))
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
