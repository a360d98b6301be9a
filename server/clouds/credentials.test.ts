/** Reading a cloud's credentials the way openstacksdk does: clouds.yaml entries and OS_* variables. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CloudConfigInvalid, cloudFromEnvironment } from "./credentials";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-clouds-yaml-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = path.join(dir, "clouds.yaml");
fs.writeFileSync(
  file,
  `clouds:
  prod:
    auth: { auth_url: 'https://keystone.example.com:5000/v3/', username: deployer, password: s3cret, project_name: web, user_domain_name: Default, project_domain_id: default }
    region_name: RegionTwo
    interface: internal
    compute_endpoint_override: http://nova.internal:8774/v2.1
  appcred:
    auth_type: v3applicationcredential
    auth: { auth_url: https://keystone.example.com/v3, application_credential_id: 21ab, application_credential_secret: shh }
  bad:
    auth: { auth_url: https://keystone.example.com/v3, username: x }
`,
);

describe("cloud credentials", () => {
  it("reads OS_CLOUD's clouds.yaml entry: password, project, domains, region, interface, endpoint override", () => {
    expect(cloudFromEnvironment({ OS_CLOUD: "prod", OS_CLIENT_CONFIG_FILE: file })).toEqual({
      authUrl: "https://keystone.example.com:5000/v3",
      auth: { kind: "password", username: "deployer", password: "s3cret", projectName: "web", userDomainName: "Default", projectDomainId: "default" },
      region: "RegionTwo",
      interface: "internal",
      endpointOverrides: { compute: "http://nova.internal:8774/v2.1" },
    });
  });

  it("reads an application credential, and OS_REGION_NAME beside OS_CLOUD overrides the region", () => {
    expect(cloudFromEnvironment({ OS_CLOUD: "appcred", OS_CLIENT_CONFIG_FILE: file, OS_REGION_NAME: "RegionOne" })).toMatchObject({
      auth: { kind: "applicationCredential", id: "21ab", secret: "shh" },
      region: "RegionOne",
      interface: "public",
    });
  });

  it("reads the OS_* variables of an openrc file", () => {
    expect(
      cloudFromEnvironment({ OS_AUTH_URL: "http://127.0.0.1:5000/v3", OS_USERNAME: "admin", OS_PASSWORD: "pw", OS_PROJECT_NAME: "admin", OS_USER_DOMAIN_ID: "default", OS_PROJECT_DOMAIN_ID: "default", OS_REGION_NAME: "RegionOne" }),
    ).toEqual({
      authUrl: "http://127.0.0.1:5000/v3",
      auth: { kind: "password", username: "admin", password: "pw", projectName: "admin", userDomainId: "default", projectDomainId: "default" },
      region: "RegionOne",
      interface: "public",
    });
  });

  it("has no cloud when neither OS_CLOUD nor OS_AUTH_URL is set", () => {
    expect(cloudFromEnvironment({})).toBeUndefined();
  });

  it("says what is missing or wrong", () => {
    const invalid = (env: Record<string, string>) => {
      try {
        cloudFromEnvironment(env);
      } catch (e) {
        expect(e).toBeInstanceOf(CloudConfigInvalid);
        return (e as Error).message;
      }
      return "no error";
    };
    expect(invalid({ OS_CLOUD: "bad", OS_CLIENT_CONFIG_FILE: file })).toBe(`cloud "bad" of ${file} has no password`);
    expect(invalid({ OS_CLOUD: "nope", OS_CLIENT_CONFIG_FILE: file })).toBe(`${file} has no cloud named "nope"`);
    expect(invalid({ OS_CLOUD: "x", OS_CLIENT_CONFIG_FILE: path.join(dir, "missing.yaml") })).toMatch(/^OS_CLOUD is "x" but there is no clouds.yaml/);
    expect(invalid({ OS_AUTH_URL: "http://k/v3", OS_USERNAME: "u", OS_PASSWORD: "p", OS_AUTH_TYPE: "v3oidc" })).toBe('the OS_* variables: auth_type "v3oidc" is not supported; Kiln takes password and v3applicationcredential');
  });
});
