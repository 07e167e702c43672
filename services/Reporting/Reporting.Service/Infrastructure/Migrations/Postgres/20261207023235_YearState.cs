using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PerfPlatform.Reporting.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class YearState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "State",
                table: "report_years",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "StateVersion",
                table: "report_years",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "State",
                table: "report_years");

            migrationBuilder.DropColumn(
                name: "StateVersion",
                table: "report_years");
        }
    }
}
