using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PerfPlatform.Objectives.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AuditTrailAndWorkflow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Years held before the workflow were imported reports: they are at final, and so are their values.
            migrationBuilder.DropIndex(
                name: "IX_plan_years_Year",
                table: "plan_years");

            migrationBuilder.AddColumn<string>(
                name: "Explanation",
                table: "strategic_objectives",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Period",
                table: "realization_entries",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "Final");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ArchivedAt",
                table: "plan_years",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ArchivedBy",
                table: "plan_years",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "State",
                table: "plan_years",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "Final");

            migrationBuilder.AddColumn<string>(
                name: "Explanation",
                table: "operational_objectives",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "audit_records",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    Change = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    EntityKind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    EntityKey = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    ObjectiveCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    Field = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    OldValue = table.Column<string>(type: "text", nullable: true),
                    NewValue = table.Column<string>(type: "text", nullable: true),
                    Note = table.Column<string>(type: "text", nullable: true),
                    TraceId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_records", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_plan_years_Year",
                table: "plan_years",
                column: "Year",
                unique: true,
                filter: "\"ArchivedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_audit_records_ObjectiveCode",
                table: "audit_records",
                column: "ObjectiveCode");

            migrationBuilder.CreateIndex(
                name: "IX_audit_records_Year_Id",
                table: "audit_records",
                columns: new[] { "Year", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_records");

            migrationBuilder.DropIndex(
                name: "IX_plan_years_Year",
                table: "plan_years");

            migrationBuilder.DropColumn(
                name: "Explanation",
                table: "strategic_objectives");

            migrationBuilder.DropColumn(
                name: "Period",
                table: "realization_entries");

            migrationBuilder.DropColumn(
                name: "ArchivedAt",
                table: "plan_years");

            migrationBuilder.DropColumn(
                name: "ArchivedBy",
                table: "plan_years");

            migrationBuilder.DropColumn(
                name: "State",
                table: "plan_years");

            migrationBuilder.DropColumn(
                name: "Explanation",
                table: "operational_objectives");

            migrationBuilder.CreateIndex(
                name: "IX_plan_years_Year",
                table: "plan_years",
                column: "Year",
                unique: true);
        }
    }
}
