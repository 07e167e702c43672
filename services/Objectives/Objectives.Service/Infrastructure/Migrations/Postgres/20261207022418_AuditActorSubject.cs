using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PerfPlatform.Objectives.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AuditActorSubject : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ActorSubject",
                table: "audit_records",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ActorSubject",
                table: "audit_records");
        }
    }
}
