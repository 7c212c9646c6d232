import { describe, expect, it } from 'vitest';
import {
  getAtt,
  onlyResource,
  type Synthesized,
  synthesizeDevAndProd,
} from './support/synthesize.js';

const stacks = synthesizeDevAndProd();

const pool = (s: Synthesized) => onlyResource(s.template, 'AWS::Cognito::UserPool');
const siteUrl = (s: Synthesized) => {
  const distribution = onlyResource(s.template, 'AWS::CloudFront::Distribution').id;
  return { 'Fn::Join': ['', ['https://', getAtt(distribution, 'DomainName'), '/signin']] };
};

describe('the Cognito user pool', () => {
  it('lets anyone sign up and sign in by user name or e-mail, verified by e-mail', () => {
    const p = pool(stacks.dev).resource.Properties;
    expect(p.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: false });
    expect(p.AliasAttributes).toEqual(['email']);
    expect(p.UsernameConfiguration).toEqual({ CaseSensitive: false });
    expect(p.AutoVerifiedAttributes).toEqual(['email']);
    expect(p.Schema).toEqual([
      { Name: 'email', Required: true, Mutable: true },
      { Name: 'preferred_username', Required: false, Mutable: true },
    ]);
  });

  it('asks for strong passwords, offers TOTP, recovers by e-mail only, on the Lite plan', () => {
    const p = pool(stacks.dev).resource.Properties;
    expect(p.Policies).toEqual({
      PasswordPolicy: {
        MinimumLength: 12,
        RequireLowercase: true,
        RequireUppercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
        TemporaryPasswordValidityDays: 3,
      },
    });
    expect(p.MfaConfiguration).toBe('OPTIONAL');
    expect(p.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(p.AccountRecoverySetting).toEqual({
      RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }],
    });
    expect(p.UserPoolTier).toBe('LITE');
    expect(p.UserPoolAddOns).toBeUndefined();
  });

  it('goes with a dev stack; production keeps it, deletion-protected', () => {
    expect(pool(stacks.dev).resource.DeletionPolicy).toBe('Delete');
    expect(pool(stacks.dev).resource.Properties.DeletionProtection).toBe('INACTIVE');
    expect(pool(stacks.prod).resource.DeletionPolicy).toBe('Retain');
    expect(pool(stacks.prod).resource.Properties.DeletionProtection).toBe('ACTIVE');
  });
});

describe('the web client', () => {
  it('is public (no secret), code grant only, returning to <site>/signin', () => {
    const { resource } = onlyResource(stacks.dev.template, 'AWS::Cognito::UserPoolClient');
    const p = resource.Properties;
    expect(p.UserPoolId).toEqual({ Ref: pool(stacks.dev).id });
    expect(p.GenerateSecret).toBe(false);
    expect(p.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(p.AllowedOAuthFlows).toEqual(['code']);
    expect(p.AllowedOAuthScopes).toEqual(['openid', 'email', 'profile']);
    expect(p.CallbackURLs).toEqual([siteUrl(stacks.dev)]);
    expect(p.LogoutURLs).toEqual([siteUrl(stacks.dev)]);
    expect(p.SupportedIdentityProviders).toEqual(['COGNITO']);
    expect(p.ExplicitAuthFlows).toEqual(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    expect(p.PreventUserExistenceErrors).toBe('ENABLED');
  });
});

describe('the hosted sign-in domain', () => {
  it('is cruddur-<stage>-<first 8 hex digits of the stack id>', () => {
    const { resource } = onlyResource(stacks.dev.template, 'AWS::Cognito::UserPoolDomain');
    const stackUuid = { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] };
    expect(resource.Properties).toEqual({
      UserPoolId: { Ref: pool(stacks.dev).id },
      Domain: {
        'Fn::Join': [
          '',
          ['cruddur-dev-', { 'Fn::Select': [0, { 'Fn::Split': ['-', stackUuid] }] }],
        ],
      },
    });
    const prodDomain = onlyResource(stacks.prod.template, 'AWS::Cognito::UserPoolDomain').resource;
    expect(JSON.stringify(prodDomain.Properties.Domain)).toContain('cruddur-prod-');
  });
});
