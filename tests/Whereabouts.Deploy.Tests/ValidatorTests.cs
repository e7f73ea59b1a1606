namespace Whereabouts.Deploy.Tests;

/// <summary>deploy/test/validate.mjs must reject what the API server would reject or silently drop.</summary>
public sealed class ValidatorTests
{
    private const string DaemonSetTemplate = """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: whereabouts, namespace: kube-system}
        spec:
          selector: {matchLabels: {name: whereabouts}}
          template:
            metadata: {labels: {name: whereabouts}}
            spec:
              FIELD
              containers: [{name: whereabouts, image: example/whereabouts}]
        """;

    [Fact]
    public void Validate_ValidDaemonSet_Passes()
    {
        var result = ManifestValidator.Validate(DaemonSetTemplate.Replace("FIELD", "hostNetwork: true", StringComparison.Ordinal));

        Assert.True(result.ExitCode == 0, result.Describe());
    }

    [Theory]
    [InlineData("hostNetwrok: true", "unknown field /spec/template/spec/hostNetwrok")]
    [InlineData("hostNetwork: yes-please", "hostNetwork must be boolean")]
    [InlineData("tolerations: {operator: Exists}", "tolerations must be array")]
    public void Validate_BrokenDaemonSet_ReportsTheField(string field, string expected)
    {
        var result = ManifestValidator.Validate(DaemonSetTemplate.Replace("FIELD", field, StringComparison.Ordinal));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownKindOrDuplicateObject_IsReported()
    {
        var result = ManifestValidator.Validate("""
            apiVersion: example.test/v1
            kind: Gadget
            metadata: {name: g}
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: whereabouts, namespace: kube-system}
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: whereabouts, namespace: kube-system}
            """);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no schema for example.test/v1 Gadget", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("duplicate object v1/ServiceAccount/kube-system/whereabouts", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NonStructuralCrdWithUnknownField_IsReported()
    {
        var result = ManifestValidator.Validate("""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: gadgets.example.test}
            spec:
              group: example.test
              names: {kind: Gadget, plural: gadgets}
              scope: Namespaced
              versions:
                - name: v1
                  served: true
                  storage: true
                  schema:
                    openAPIV3Schema:
                      type: object
                      properties:
                        spec:
                          description: The gadget.
                          properties:
                            size: {type: integer, description: How big., x-kubernetes-int-or-string: false}
                  servd: true
            """);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not structural: /spec has no type", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("unknown field /spec/versions/0/servd", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("description", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("x-kubernetes", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ExampleResources_PassAgainstDeployCrds()
    {
        var examples = Directory.GetFiles(RepositoryLayout.ExampleResources, "*.yaml").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(3, examples.Length);
        Assert.True(Directory.Exists(RepositoryLayout.Crds), $"{RepositoryLayout.Crds} is missing.");

        var result = ManifestValidator.ValidateFiles(examples);

        Assert.True(result.ExitCode == 0, result.Describe());
    }

    [Theory]
    [InlineData("IPPool", "spec: {allocations: {}}", "must have required property 'range'")]
    [InlineData("IPPool", "spec: {range: 10.0.0.0/8, allocations: {}, rnage: x}", "(rnage)")]
    [InlineData("IPPool", "spec: {range: 10.0.0.0/8, allocations: {\"1\": {id: abc, podref: 7}}}", "must be string")]
    [InlineData("OverlappingRangeIPReservation", "spec: {containerid: abc}", "must have required property 'podref'")]
    public void Validate_InvalidCustomResource_IsRejectedByItsCrdSchema(string kind, string spec, string expected)
    {
        Assert.True(Directory.Exists(RepositoryLayout.Crds), $"{RepositoryLayout.Crds} is missing.");

        var result = ManifestValidator.Validate($"""
            apiVersion: whereabouts.cni.cncf.io/v1alpha1
            kind: {kind}
            metadata: {"{"}name: broken, namespace: kube-system{"}"}
            {spec}
            """);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.StandardOutput, StringComparison.Ordinal);
    }
}
