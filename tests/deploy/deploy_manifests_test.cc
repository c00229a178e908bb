// The deployed shape, checked without a cluster or a Docker engine: every
// kustomize overlay renders (`kubectl kustomize`) and holds the platform's
// invariants; docker-compose.yml validates (`docker-compose config`) and
// fits the credentials scripts/compose-secrets.sh makes.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/jwt_verifier.h"
#include "tests/support/ipsctl_runner.h"
#include "tests/support/test_env.h"

namespace ips::testing {
namespace {

// The tools come with the test command (install-deps.sh --tests); without
// them the tests skip, unless IPS_REQUIRE_DEPLOY_TOOLS=1 (the test command).
bool HaveTool(const std::string& tool) {
  if (RunShell("command -v " + tool + " >/dev/null 2>&1").code == 0) return true;
  if (std::getenv("IPS_REQUIRE_DEPLOY_TOOLS")) ADD_FAILURE() << tool << " is not installed";
  return false;
}

std::string AppOf(const YAML::Node& selector) {
  const auto labels = selector["matchLabels"];
  return labels && labels["app.kubernetes.io/name"] ? labels["app.kubernetes.io/name"].as<std::string>() : "";
}

class KustomizeTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!HaveTool("kubectl")) GTEST_SKIP() << "kubectl not installed";
    auto r =
        RunShell("kubectl kustomize " + SourceDir() + "/deploy/k8s/overlays/" + GetParam() + " 2>/dev/null");
    ASSERT_EQ(r.code, 0) << r.out;
    for (const auto& doc : YAML::LoadAll(r.out)) {
      if (doc.IsMap()) docs_.push_back(doc);
    }
    ASSERT_FALSE(docs_.empty());
  }

  std::vector<YAML::Node> OfKind(const std::string& kind) const {
    std::vector<YAML::Node> out;
    for (const auto& d : docs_) {
      if (d["kind"].as<std::string>() == kind) out.push_back(d);
    }
    return out;
  }

  std::vector<YAML::Node> docs_;
};

const std::map<std::string, std::string> kNamespaceOf = {{"registry", "ips-bif"},
                                                         {"matching", "ips-bif"},
                                                         {"treatment", "ips-sof"},
                                                         {"reporting", "ips-reporting"}};

TEST_P(KustomizeTest, NamespacesDeploymentsAndTheirGuards) {
  std::set<std::string> namespaces;
  for (const auto& n : OfKind("Namespace")) {
    namespaces.insert(n["metadata"]["name"].as<std::string>());
    EXPECT_EQ(n["metadata"]["labels"]["pod-security.kubernetes.io/enforce"].as<std::string>(), "restricted");
  }
  EXPECT_EQ(namespaces, (std::set<std::string>{"ips-bif", "ips-sof", "ips-reporting"}));

  std::map<std::string, YAML::Node> deployments;
  for (const auto& d : OfKind("Deployment")) deployments[d["metadata"]["name"].as<std::string>()] = d;
  ASSERT_EQ(deployments.size(), 4u);
  for (const auto& [name, d] : deployments) {
    SCOPED_TRACE(name);
    EXPECT_EQ(d["metadata"]["namespace"].as<std::string>(), kNamespaceOf.at(name));
    const auto pod = d["spec"]["template"]["spec"];
    EXPECT_FALSE(pod["automountServiceAccountToken"].as<bool>());
    EXPECT_TRUE(pod["securityContext"]["runAsNonRoot"].as<bool>());
    EXPECT_GT(pod["securityContext"]["runAsUser"].as<int>(), 0);
    ASSERT_EQ(pod["containers"].size(), 1u);
    const auto c = pod["containers"][0];
    const std::string image = c["image"].as<std::string>();
    EXPECT_NE(image.find(':'), std::string::npos) << image;
    EXPECT_EQ(image.find(":latest"), std::string::npos) << image;
    // Native gRPC probes on the plaintext health-only port.
    const int health_port = 8081;
    EXPECT_EQ(c["readinessProbe"]["grpc"]["port"].as<int>(), health_port);
    EXPECT_EQ(c["livenessProbe"]["grpc"]["port"].as<int>(), health_port);
    bool listens_for_health = false;
    for (const auto& e : c["env"]) {
      if (e["name"].as<std::string>() == "IPS_HEALTH_LISTEN")
        listens_for_health = e["value"].as<std::string>() == "0.0.0.0:" + std::to_string(health_port);
    }
    EXPECT_TRUE(listens_for_health);
    for (const char* what : {"requests", "limits"}) {
      EXPECT_TRUE(c["resources"][what]["cpu"]) << what;
      EXPECT_TRUE(c["resources"][what]["memory"]) << what;
    }
    EXPECT_TRUE(c["securityContext"]["readOnlyRootFilesystem"].as<bool>());
    EXPECT_FALSE(c["securityContext"]["allowPrivilegeEscalation"].as<bool>());
    EXPECT_EQ(c["securityContext"]["capabilities"]["drop"][0].as<std::string>(), "ALL");
    // Only the publishers hold the pseudonym key.
    bool has_key = false;
    for (const auto& v : pod["volumes"]) {
      has_key |= v["secret"] && v["secret"]["secretName"].as<std::string>() == "ips-pseudonym-key";
    }
    EXPECT_EQ(has_key, name != "reporting");
  }

  // A disruption budget for each; an autoscaler for each stateless one;
  // reporting is one pod, replaced (never two following the feeds).
  std::set<std::string> budgets, scaled;
  for (const auto& p : OfKind("PodDisruptionBudget")) budgets.insert(AppOf(p["spec"]["selector"]));
  for (const auto& h : OfKind("HorizontalPodAutoscaler")) {
    scaled.insert(h["spec"]["scaleTargetRef"]["name"].as<std::string>());
    EXPECT_GE(h["spec"]["maxReplicas"].as<int>(), h["spec"]["minReplicas"].as<int>());
  }
  EXPECT_EQ(budgets, (std::set<std::string>{"registry", "matching", "treatment", "reporting"}));
  EXPECT_EQ(scaled, (std::set<std::string>{"registry", "matching", "treatment"}));
  EXPECT_EQ(deployments["reporting"]["spec"]["replicas"].as<int>(), 1);
  EXPECT_EQ(deployments["reporting"]["spec"]["strategy"]["type"].as<std::string>(), "Recreate");
  EXPECT_TRUE(deployments["reporting"]["spec"]["template"]["spec"]["containers"][0]["startupProbe"]["grpc"]);

  std::set<std::string> services;
  for (const auto& s : OfKind("Service")) services.insert(s["metadata"]["name"].as<std::string>());
  EXPECT_EQ(services, (std::set<std::string>{"registry", "matching", "treatment", "reporting"}));
}

TEST_P(KustomizeTest, SecretsAreReferencedNeverIncludedAndDocumented) {
  EXPECT_TRUE(OfKind("Secret").empty());
  std::set<std::string> referenced;
  std::function<void(const YAML::Node&)> walk = [&](const YAML::Node& n) {
    if (n.IsMap()) {
      if (n["secretName"]) referenced.insert(n["secretName"].as<std::string>());
      if (n["secretKeyRef"]) referenced.insert(n["secretKeyRef"]["name"].as<std::string>());
      if (n["passwordSecret"]) referenced.insert(n["passwordSecret"]["name"].as<std::string>());
      for (const auto& kv : n) walk(kv.second);
    } else if (n.IsSequence()) {
      for (const auto& x : n) walk(x);
    }
  };
  for (const auto& d : docs_) walk(d);
  EXPECT_GE(referenced.size(), 10u);
  const std::string operations = ReadFile(SourceDir() + "/docs/operations.md").value_or("");
  for (const auto& name : referenced) {
    EXPECT_NE(operations.find("`" + name + "`"), std::string::npos)
        << "docs/operations.md does not describe the Secret " << name;
  }
}

// Who may call whom on the gRPC port: the calls in docs/architecture.md and no other.
TEST_P(KustomizeTest, NetworkPoliciesDenyByDefaultAndAllowOnlyTheDesignedCalls) {
  std::set<std::string> denied;
  std::set<std::pair<std::string, std::string>> ingress, egress;  // caller -> callee
  for (const auto& p : OfKind("NetworkPolicy")) {
    const std::string ns = p["metadata"]["namespace"].as<std::string>();
    const auto spec = p["spec"];
    if (spec["podSelector"].size() == 0 && !spec["ingress"] && !spec["egress"]) {
      EXPECT_EQ(spec["policyTypes"].size(), 2u);
      denied.insert(ns);
      continue;
    }
    const std::string self = AppOf(spec["podSelector"]);
    auto peers = [&](const YAML::Node& rules, const char* side, auto add) {
      for (const auto& rule : rules) {
        bool grpc = false;
        for (const auto& port : rule["ports"]) grpc |= port["port"].as<int>() == 50051;
        if (!grpc) continue;
        for (const auto& peer : rule[side]) {
          const std::string app = peer["podSelector"] ? AppOf(peer["podSelector"]) : "";
          if (app.empty()) continue;  // a namespace of callers
          const std::string peer_ns =
              peer["namespaceSelector"]
                  ? peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"].as<std::string>()
                  : ns;
          EXPECT_EQ(peer_ns, kNamespaceOf.at(app)) << app;
          add(app);
        }
      }
    };
    if (self.empty()) continue;  // PostgreSQL's own policies
    peers(spec["ingress"], "from", [&](const std::string& app) { ingress.insert({app, self}); });
    peers(spec["egress"], "to", [&](const std::string& app) { egress.insert({self, app}); });
  }
  EXPECT_EQ(denied, (std::set<std::string>{"ips-bif", "ips-sof", "ips-reporting"}));
  const std::set<std::pair<std::string, std::string>> designed = {{"matching", "registry"},
                                                                  {"registry", "treatment"},
                                                                  {"reporting", "registry"},
                                                                  {"reporting", "matching"},
                                                                  {"reporting", "treatment"}};
  EXPECT_EQ(ingress, designed);
  EXPECT_EQ(egress, designed);
}

TEST_P(KustomizeTest, PostgresPerOwnerThroughTheOperatorAndPoliciesAsBuilt) {
  std::set<std::string> owners;
  for (const auto& c : OfKind("Cluster")) {
    EXPECT_EQ(c["apiVersion"].as<std::string>(), "postgresql.cnpg.io/v1");
    owners.insert(c["metadata"]["namespace"].as<std::string>());
    EXPECT_EQ(c["spec"]["instances"].as<int>(), GetParam() == "prod" ? 3 : 1);
    EXPECT_EQ(static_cast<bool>(c["spec"]["backup"]), GetParam() == "prod");
  }
  EXPECT_EQ(owners, (std::set<std::string>{"ips-bif", "ips-sof", "ips-reporting"}));
  EXPECT_TRUE(OfKind("StatefulSet").empty());
  // The policy ConfigMaps are the policies built into the binaries
  // (scripts/k8s-policies.sh writes them).
  int policies = 0;
  for (const auto& m : OfKind("ConfigMap")) {
    const std::string name = m["metadata"]["name"].as<std::string>();
    if (name.size() < 7 || name.substr(name.size() - 7) != "-policy") continue;
    ++policies;
    const std::string service = name.substr(0, name.size() - 7);
    EXPECT_EQ(
        nlohmann::json::parse(m["data"]["policy.json"].as<std::string>()),
        nlohmann::json::parse(ReadFile(SourceDir() + "/services/" + service + "/policy.json").value_or("")))
        << name << " differs from services/" << service << "/policy.json: run scripts/k8s-policies.sh";
  }
  EXPECT_EQ(policies, 4);
}

INSTANTIATE_TEST_SUITE_P(Overlays, KustomizeTest, ::testing::Values("dev", "prod"));

class ComposeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveTool("docker-compose")) GTEST_SKIP() << "docker-compose not installed";
    secrets_ = TempDir("ips-compose");
    auto made = RunShell("IPS_COMPOSE_DIR=" + secrets_ + "/secrets IPS_COMPOSE_ENV=" + secrets_ + "/env " +
                         SourceDir() + "/scripts/compose-secrets.sh 2>&1");
    ASSERT_EQ(made.code, 0) << made.out;
    std::ofstream(secrets_ + "/empty.env") << "";
  }

  CliResult Config(const std::string& env) {
    return RunShell("cd " + SourceDir() + " && env -u IPS_PG_PASSWORD " + env +
                    " docker-compose -f docker-compose.yml --env-file " + secrets_ +
                    "/empty.env config 2>&1");
  }

  std::string secrets_;
};

TEST_F(ComposeTest, TheFileValidatesAndFitsTheDevelopmentCredentials) {
  const auto r = Config("IPS_PG_PASSWORD=compose-test");
  ASSERT_EQ(r.code, 0) << r.out;
  const YAML::Node file = YAML::Load(r.out);
  std::set<std::string> names;
  for (const auto& s : file["services"]) names.insert(s.first.as<std::string>());
  EXPECT_EQ(names, (std::set<std::string>{"postgres-bif", "postgres-sof", "postgres-reporting", "treatment",
                                          "registry", "matching", "reporting", "simulator", "report"}));
  const std::map<std::string, std::string> database_of = {{"registry", "postgres-bif:5432/registry"},
                                                          {"matching", "postgres-bif:5432/matching"},
                                                          {"treatment", "postgres-sof:5432/treatment"},
                                                          {"reporting", "postgres-reporting:5432/reporting"}};
  for (const auto& [name, database] : database_of) {
    SCOPED_TRACE(name);
    const auto s = file["services"][name];
    EXPECT_EQ(s["user"].as<std::string>(), "10001:10001");
    EXPECT_TRUE(s["read_only"].as<bool>());
    const auto env = s["environment"];
    EXPECT_NE(env["IPS_DB"].as<std::string>().find("compose-test@" + database), std::string::npos);
    EXPECT_EQ(env["IPS_TLS_CA"].as<std::string>(), "/secrets/ca.pem");  // mTLS
    EXPECT_EQ(static_cast<bool>(env["IPS_PSEUDONYM_KEY_FILE"]), name != "reporting");
    // Every credential a service is given is one the script makes.
    for (const auto& kv : env) {
      const std::string value = kv.second.as<std::string>();
      if (value.rfind("/secrets/", 0) == 0) {
        for (const auto& file_name : absl::StrSplit(value.substr(9), ',')) {
          EXPECT_TRUE(std::filesystem::exists(secrets_ + "/secrets/" + std::string(file_name))) << value;
        }
      }
    }
  }
  // Without the password the file refuses to render, saying what to run.
  const auto missing = Config("");
  EXPECT_NE(missing.code, 0);
  EXPECT_NE(missing.out.find("compose-secrets.sh"), std::string::npos) << missing.out;
}

TEST_F(ComposeTest, TheScriptsTokensVerifyWithItsKey) {
  auto key = ReadFile(secrets_ + "/secrets/jwt.pub");
  ASSERT_TRUE(key.ok());
  JwtVerifier verifier({"https://login.dev.ips.local", "ips-sydhavnen", {*key}});
  for (const auto& [file, role] : std::map<std::string, std::string>{
           {"registry-to-treatment.token", "treatment_check"}, {"reporting.token", "event_reader"}}) {
    auto token = ReadFile(secrets_ + "/secrets/" + file);
    ASSERT_TRUE(token.ok());
    auto caller = verifier.Verify(std::string(absl::StripAsciiWhitespace(*token)));
    ASSERT_TRUE(caller.ok()) << file << ": " << caller.status();
    EXPECT_TRUE(caller->HasRole(role)) << file;
  }
  // The server certificate names the services as compose addresses them.
  const auto san =
      RunShell("openssl x509 -in " + secrets_ + "/secrets/server.pem -noout -ext subjectAltName");
  for (const char* name : {"registry", "treatment", "matching", "reporting"}) {
    EXPECT_NE(san.out.find(std::string("DNS:") + name), std::string::npos) << san.out;
  }
}

}  // namespace
}  // namespace ips::testing
